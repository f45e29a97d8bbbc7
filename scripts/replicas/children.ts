// Every process the replicas run starts: each writes to its own log file, and all are killed when the run
// ends, however it ends.
import { spawn, type ChildProcess } from 'node:child_process'
import { openSync } from 'node:fs'

const live = new Set<ChildProcess>()

process.once('exit', () => { for (const child of live) child.kill('SIGKILL') })
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => process.exit(130))
}

export interface Child {
  readonly process: ChildProcess
  /** The exit code (null when a signal ended it). */
  readonly exited: Promise<number | null>
  /** Sends the signal and resolves once the process has exited. */
  stop: (signal?: NodeJS.Signals) => Promise<number | null>
}

/** Keeps a process started elsewhere (a test helper's redis-server) on the list of what is killed at exit. */
export function track (child: ChildProcess): Child {
  live.add(child)
  const exited = new Promise<number | null>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode)
    child.once('exit', (code) => resolve(code))
  }).finally(() => live.delete(child))
  return {
    process: child,
    exited,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal)
      return await exited
    }
  }
}

/** Starts a command with its stdout and stderr appended to `logFile`; `stdout: 'pipe'` keeps stdout readable instead. */
export function start (command: string, args: string[], options: { env?: Record<string, string>, logFile: string, stdout?: 'pipe' }): Child {
  const log = openSync(options.logFile, 'a')
  const child = spawn(command, args, {
    env: { ...process.env, ...options.env },
    stdio: ['ignore', options.stdout ?? log, log]
  })
  return track(child)
}

/** A TypeScript entry point of this repository, run by Node through tsx. */
export function startTs (script: string, args: string[], options: Parameters<typeof start>[2]): Child {
  return start(process.execPath, ['--import', 'tsx', script, ...args], options)
}

/** Resolves with the first line the child prints on stdout; rejects if it exits first. */
export async function firstLine (child: Child): Promise<string> {
  const stdout = child.process.stdout
  if (!stdout) throw new Error('the child\'s stdout is not piped')
  let text = ''
  return await new Promise((resolve, reject) => {
    stdout.on('data', (data: Buffer) => {
      text += data.toString()
      const end = text.indexOf('\n')
      if (end >= 0) resolve(text.slice(0, end).trim())
    })
    child.exited.then((code) => reject(new Error(`exited with ${String(code)} before printing a line`)), reject)
  })
}

/** Resolves once `check` holds; throws when it still does not after `timeoutMs`, naming what was awaited. */
export async function waitUntil (what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs
  while (!await check().catch(() => false)) {
    if (Date.now() > until) throw new Error(`${what}: not within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}
