import { spawn } from 'node:child_process'
import { createServer, type Server } from 'node:net'
import { fileURLToPath } from 'node:url'
import t from 'tap'

const root = fileURLToPath(new URL('../..', import.meta.url))

interface Exit {
  code: number | null
  stdout: string
  stderr: string
}

/** `npm start` as a user runs it, in demo mode (no SNOWFLAKE_ACCOUNT), killed if it has not exited within `timeoutMs`. */
async function start (env: Record<string, string>, timeoutMs = 30_000): Promise<Exit> {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) =>
    !/^(SNOWFLAKE_|REDIS_URL|API_KEYS_FILE|CURSOR_SECRET|PORT$|HOST$|ACTIONS_DIR|LOG_LEVEL|METRICS_TOKEN)/.test(name)))
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], { cwd: root, env: { ...inherited, LOG_LEVEL: 'info', ...env } })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk })
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk })
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
  const code = await new Promise<number | null>((resolve) => child.once('exit', (exitCode) => resolve(exitCode)))
  clearTimeout(timer)
  return { code, stdout, stderr }
}

async function occupy (host: string): Promise<Server> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, host, resolve))
  return server
}

t.test('a port already in use stops the start with one clear line, before the embedded emulator starts', async (t) => {
  const busy = await occupy('127.0.0.1')
  t.teardown(() => { busy.close() })
  const { port } = busy.address() as { port: number }
  const started = Date.now()
  const exit = await start({ PORT: String(port), HOST: '127.0.0.1' })
  t.equal(exit.code, 1, 'exits with 1')
  t.ok(Date.now() - started < 30_000, 'within the time bound')
  t.match(exit.stderr.trim(), new RegExp(`^PORT ${port} is already in use on 127\\.0\\.0\\.1[^\\n]*$`), `one line on stderr: ${exit.stderr}`)
  t.notMatch(exit.stderr + exit.stdout, /\n\s+at /, 'no stack trace')
  t.notMatch(exit.stdout, /embedded Snowflake emulator/, 'the emulator was never started')
})
