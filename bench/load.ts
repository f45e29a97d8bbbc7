// Closed-loop HTTP load: a fixed number of callers, each sending its next request when the last one is
// answered, over keep-alive sockets; node:http keeps the client's own cost small on a 2-core machine.
import { readFile } from 'node:fs/promises'
import { Agent, request, type IncomingMessage } from 'node:http'

export interface LoadResult {
  requests: number
  errors: number
  rps: number
  p50Ms: number
  p99Ms: number
  /** Accepted answers during the warm-up before the window (work the server did, e.g. for statement counts). */
  warmupRequests: number
  /** The server's CPU time (user + system) per accepted answer in the window, when its pid was given. */
  cpuUsPerRequest?: number
}

type Body = (n: number) => string
/** Whether an answer counts as a success; the others are errors and their latency is not kept. */
export type Accept = (response: IncomingMessage) => boolean

export interface LoadOptions {
  concurrency: number
  warmupMs: number
  ms: number
  accept?: Accept
  /** Sent with every request, e.g. `authorization`. */
  headers?: Record<string, string>
  /** A request unanswered this long is abandoned and counted as an error (30 s). */
  timeoutMs?: number
  /** The server's process: its CPU time in the window is reported per answer (less sensitive to a busy machine than req/s). */
  pid?: number
}

/** User + system CPU time of a process in µs, from /proc (Linux; clock ticks of 10 ms). */
async function cpuUs (pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8')
  // The fields after the command name, which is in parentheses and may hold spaces: utime and stime are 12 and 13.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[11]) + Number(fields[12])) * 10_000
}

const ok: Accept = (response) => response.statusCode === 200

/** `accept`, counting every answer's `x-cache` (what the gateway answered from) into `counts` on the way. */
export function countingCache (accept: Accept, counts: Map<string, number>): Accept {
  return (response) => {
    const cache = String(response.headers['x-cache'])
    counts.set(cache, (counts.get(cache) ?? 0) + 1)
    return accept(response)
  }
}

export function formatCounts (counts: Map<string, number>): string {
  return [...counts].map(([cache, count]) => `${cache} ${count}`).join(', ')
}

function percentile (sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] as number
}

/** The answer, or the error that stopped it (refused, reset, timed out): a failed request, not a failed bench. */
async function post (agent: Agent, url: URL, body: string, headers: Record<string, string>, timeoutMs: number): Promise<IncomingMessage | Error> {
  return await new Promise((resolve) => {
    const req = request(url, { method: 'POST', agent, timeout: timeoutMs, headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.on('data', () => {})
      res.on('end', () => resolve(res))
      res.on('error', resolve)
    })
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)))
    req.on('error', resolve)
    req.end(body)
  })
}

interface Window { latencies: number[], errors: number, elapsed: number }

async function loop (url: string, body: Body, options: LoadOptions, ms: number, firstError: (answer: IncomingMessage | Error) => void): Promise<Window> {
  const { concurrency, accept = ok, headers = {}, timeoutMs = 30_000 } = options
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency })
  const target = new URL(url)
  const latencies: number[] = []
  let errors = 0
  let n = 0
  const started = performance.now()
  const until = started + ms
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (performance.now() < until) {
      const sent = performance.now()
      const answer = await post(agent, target, body(n++), headers, timeoutMs)
      if (!(answer instanceof Error) && accept(answer)) latencies.push(performance.now() - sent)
      else if (errors++ === 0) firstError(answer)
    }
  }))
  const elapsed = performance.now() - started
  agent.destroy()
  return { latencies, errors, elapsed }
}

/** Warms up, then measures for `ms`; latencies are of accepted answers only (by default, status 200). */
export async function measureLoad (url: string, body: Body, options: LoadOptions): Promise<LoadResult> {
  const report = (answer: IncomingMessage | Error): void => {
    if (answer instanceof Error) return console.error(`  ${url}: first failed request: ${answer.message}`)
    const cache = answer.headers['x-cache'] === undefined ? '' : `, x-cache ${String(answer.headers['x-cache'])}`
    console.error(`  ${url}: first rejected answer was ${String(answer.statusCode)}${cache}`)
  }
  const warmup = options.warmupMs > 0 ? await loop(url, body, options, options.warmupMs, report) : { latencies: [], errors: 0 }
  const cpuBefore = options.pid === undefined ? 0 : await cpuUs(options.pid)
  const { latencies, errors, elapsed } = await loop(url, body, options, options.ms, report)
  const cpuUsed = options.pid === undefined ? undefined : await cpuUs(options.pid) - cpuBefore
  latencies.sort((a, b) => a - b)
  return {
    requests: latencies.length,
    errors,
    rps: Number((latencies.length / (elapsed / 1000)).toFixed(2)),
    p50Ms: Number(percentile(latencies, 0.5).toFixed(2)),
    p99Ms: Number(percentile(latencies, 0.99).toFixed(2)),
    warmupRequests: warmup.latencies.length,
    ...(cpuUsed === undefined ? {} : { cpuUsPerRequest: Math.round(cpuUsed / Math.max(1, latencies.length)) })
  }
}
