// Child processes for the bench: each side runs alone so its RSS and CPU are its own. Every child started
// here is killed when the bench exits, however it exits.
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../', import.meta.url))
const live = new Set<ChildProcess>()

// SIGCONT first: a child the bench stopped (the hung Redis) must not be left stopped if the kill were refused.
function killAll (): void {
  for (const child of live) {
    child.kill('SIGCONT')
    child.kill('SIGKILL')
  }
}
process.once('exit', killAll)
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killAll()
    process.exit(130)
  })
}

export interface Server {
  url: string
  pid: number
  /** SIGTERM, then what the child printed after its URL (the bench children print their peak RSS). */
  stop: () => Promise<string>
}

interface Launched { child: ChildProcess, output: () => string, exited: Promise<number | null> }

/** Any program, killed with the bench; its stdout is kept, its stderr goes to the bench's. */
export function spawnChild (command: string, args: string[], env: Record<string, string> = {}): Launched {
  // The IPC channel only for node children: they exit when the bench's end of it closes.
  const stdio: StdioOptions = command === process.execPath ? ['ignore', 'pipe', 'inherit', 'ipc'] : ['ignore', 'pipe', 'inherit']
  const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env }, stdio })
  live.add(child)
  let out = ''
  child.stdout?.on('data', (d: Buffer) => { out += d.toString() })
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => {
    live.delete(child)
    resolve(code)
  }))
  return { child, output: () => out, exited }
}

function launch (script: string, args: string[], env: Record<string, string>): Launched {
  // BENCH_CPU_PROF=<dir>: every child writes a V8 CPU profile there when it exits (NODE_OPTIONS refuses --cpu-prof).
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []
  return spawnChild(process.execPath, [...profile, '--import', 'tsx', script, ...args], env)
}

/**
 * Starts a server child and resolves with the first URL it prints on a line of its own; log lines (the gateway
 * logs to stdout) may come before it.
 */
export async function startServer (script: string, args: string[] = [], env: Record<string, string> = {}): Promise<Server> {
  const { child, output, exited } = launch(script, args, env)
  let after = 0
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (): void => {
      const found = /^(https?:\/\/\S+)[ \t]*\r?\n/m.exec(output())
      if (!found) return
      child.stdout?.off('data', onData)
      after = found.index + found[0].length
      resolve(found[1] as string)
    }
    child.stdout?.on('data', onData)
    exited.then((code) => reject(new Error(`${script} exited with ${String(code)} before listening`)), reject)
  })
  return {
    url,
    pid: child.pid ?? 0,
    stop: async () => {
      child.kill('SIGTERM')
      await exited
      return output().slice(after).trim()
    }
  }
}

/** Stops a bench server child and answers the peak RSS (MB) it printed on its way out. */
export async function stopForPeakRss (server: Server): Promise<number> {
  const printed = await server.stop()
  return (JSON.parse(printed.split('\n').at(-1) ?? '{}') as { peakRssMb: number }).peakRssMb
}

/** Runs a child to its end and answers its stdout. */
export async function runToEnd (script: string, args: string[] = [], env: Record<string, string> = {}): Promise<string> {
  const { output, exited } = launch(script, args, env)
  const code = await exited
  if (code !== 0) throw new Error(`${script} exited with ${String(code)}`)
  return output()
}
