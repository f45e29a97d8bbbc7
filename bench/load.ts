// Closed-loop HTTP load: a fixed number of callers, each sending its next request when the last one is
// answered, over keep-alive sockets; node:http keeps the client's own cost small on a 2-core machine.
import { Agent, request } from 'node:http'

export interface LoadResult {
  requests: number
  errors: number
  rps: number
  p50Ms: number
  p99Ms: number
}

type Body = (n: number) => string

function percentile (sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] as number
}

async function post (agent: Agent, url: URL, body: string): Promise<number> {
  return await new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.on('data', () => {})
      res.on('end', () => resolve(res.statusCode ?? 0))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(body)
  })
}

async function loop (url: string, body: Body, concurrency: number, ms: number, firstError: (status: number) => void): Promise<{ latencies: number[], errors: number, elapsed: number }> {
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
      const status = await post(agent, target, body(n++))
      if (status === 200) latencies.push(performance.now() - sent)
      else if (errors++ === 0) firstError(status)
    }
  }))
  const elapsed = performance.now() - started
  agent.destroy()
  return { latencies, errors, elapsed }
}

/** Warms up, then measures for `ms`; latencies are of successful (200) answers only. */
export async function measureLoad (url: string, body: Body, options: { concurrency: number, warmupMs: number, ms: number }): Promise<LoadResult> {
  const report = (status: number): void => console.error(`  ${url}: first non-200 answer was ${status}`)
  await loop(url, body, options.concurrency, options.warmupMs, report)
  const { latencies, errors, elapsed } = await loop(url, body, options.concurrency, options.ms, report)
  latencies.sort((a, b) => a - b)
  return {
    requests: latencies.length,
    errors,
    rps: Math.round(latencies.length / (elapsed / 1000)),
    p50Ms: Number(percentile(latencies, 0.5).toFixed(2)),
    p99Ms: Number(percentile(latencies, 0.99).toFixed(2))
  }
}
