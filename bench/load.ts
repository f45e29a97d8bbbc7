// Closed-loop HTTP load: a fixed number of callers, each sending its next request when the last one is
// answered, over keep-alive sockets; node:http keeps the client's own cost small on a 2-core machine.
import { Agent, request, type IncomingMessage } from 'node:http'

export interface LoadResult {
  requests: number
  errors: number
  rps: number
  p50Ms: number
  p99Ms: number
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
}

const ok: Accept = (response) => response.statusCode === 200

function percentile (sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] as number
}

async function post (agent: Agent, url: URL, body: string, headers: Record<string, string>): Promise<IncomingMessage> {
  return await new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.on('data', () => {})
      res.on('end', () => resolve(res))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(body)
  })
}

async function loop (url: string, body: Body, headers: Record<string, string>, concurrency: number, ms: number, accept: Accept, firstError: (response: IncomingMessage) => void): Promise<{ latencies: number[], errors: number, elapsed: number }> {
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
      const response = await post(agent, target, body(n++), headers)
      if (accept(response)) latencies.push(performance.now() - sent)
      else if (errors++ === 0) firstError(response)
    }
  }))
  const elapsed = performance.now() - started
  agent.destroy()
  return { latencies, errors, elapsed }
}

/** Warms up, then measures for `ms`; latencies are of accepted answers only (by default, status 200). */
export async function measureLoad (url: string, body: Body, options: LoadOptions): Promise<LoadResult> {
  const accept = options.accept ?? ok
  const report = (response: IncomingMessage): void => {
    const cache = response.headers['x-cache'] === undefined ? '' : `, x-cache ${String(response.headers['x-cache'])}`
    console.error(`  ${url}: first rejected answer was ${String(response.statusCode)}${cache}`)
  }
  const headers = options.headers ?? {}
  await loop(url, body, headers, options.concurrency, options.warmupMs, accept, report)
  const { latencies, errors, elapsed } = await loop(url, body, headers, options.concurrency, options.ms, accept, report)
  latencies.sort((a, b) => a - b)
  return {
    requests: latencies.length,
    errors,
    rps: Math.round(latencies.length / (elapsed / 1000)),
    p50Ms: Number(percentile(latencies, 0.5).toFixed(2)),
    p99Ms: Number(percentile(latencies, 0.99).toFixed(2))
  }
}
