import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

export const root = fileURLToPath(new URL('../..', import.meta.url))

export interface Exit { code: number | null, stdout: string, stderr: string }

/** The gateway's settings in this shell, which a child must not inherit: each test gives its own. */
export const gatewaySettings = /^(SNOWFLAKE_|REDIS_URL|API_KEYS_FILE|CURSOR_SECRET|PORT$|HOST$|ACTIONS_DIR|LOG_LEVEL|METRICS_TOKEN)/

export function inheritedEnv (): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !gatewaySettings.test(name)))
}

/** A TypeScript file of the repository run as `npm run` would (through tsx), killed if it has not exited within `timeoutMs`. */
export async function runNode (args: string[], env: Record<string, string> = {}, timeoutMs = 60_000): Promise<Exit> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: root, env: { ...inheritedEnv(), ...env } })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk })
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk })
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
  clearTimeout(timer)
  return { code, stdout, stderr }
}
