// Where a page-1 hit's CPU goes (not a target row): the same request, answered by servers that each stop after one
// more step of the gateway's work, measured in interleaved rounds as CPU time per answer of the serving process.
//   floor    the hit rows' floor: Fastify and one Redis GET of the stored answer (floor-server.ts)
//   get      the same GET in the gateway's own app: its Fastify options and global hooks (breakdown-process.ts)
//   read     + the result key and the cache read: deadline and breaker, keyv, the entry's MAC, its header
//   render   + runAction and renderPage: the answer's JSON with its cursor
//   execute  the route itself: + schemas, auth and limit hooks, Call, redaction guard, profiler headers
import { warmHit } from './calls.js'
import { startServer, type Server } from './children.js'
import { measureLoad, type LoadResult } from './load.js'
import { alternating, interleave, median, type Measure } from './rounds.js'
import { BENCH_REDIS_URL, floorKey, gatewayEnv, knobs } from './shared.js'
import { createClient } from '@keyv/redis'

const STEPS = ['floor', 'get', 'read', 'render', 'execute'] as const
type Step = typeof STEPS[number]

export async function measureBreakdown (emulatorUrl: string): Promise<void> {
  const redis = createClient({ url: BENCH_REDIS_URL })
  await redis.connect()
  const servers: Server[] = []
  try {
    const floor = await startServer('bench/floor-server.ts', [BENCH_REDIS_URL])
    servers.push(floor)
    const gateway = await startServer('bench/breakdown-process.ts', [], gatewayEnv(emulatorUrl, 'gateway-breakdown', { REDIS_URL: BENCH_REDIS_URL }))
    servers.push(gateway)
    const start = 'C000001'
    const hit = await warmHit(gateway.url + '/v1/actions/bench-page/execute', { variables: { fromCustomerId: start } })
    await redis.set(floorKey('page', start), hit.body)
    await redis.set(`bench-breakdown:${start}`, hit.body)
    const body = (): string => JSON.stringify({ variables: { fromCustomerId: start } })
    const urls: Record<Step, [string, number]> = {
      floor: [floor.url + '/page', floor.pid],
      get: [gateway.url + '/__breakdown/get', gateway.pid],
      read: [gateway.url + '/__breakdown/read', gateway.pid],
      render: [gateway.url + '/__breakdown/render', gateway.pid],
      execute: [gateway.url + '/v1/actions/bench-page/execute', gateway.pid]
    }
    const measure = Object.fromEntries(STEPS.map((step) => [step, async (warmupMs: number, ms: number) => {
      const [url, pid] = urls[step]
      return await measureLoad(url, body, { concurrency: knobs.concurrency, warmupMs, ms, pid })
    }])) as Record<Step, Measure<LoadResult>>
    const rounds = await interleave<Step>(measure, alternating([...STEPS]), { rounds: knobs.rounds, ms: knobs.roundMs, firstWarmupMs: knobs.firstWarmupMs, warmupMs: knobs.warmupMs })
    const cpu = Object.fromEntries(STEPS.map((step) => [step, median(rounds.map((round) => round.results[step].cpuUsPerRequest ?? NaN))])) as Record<Step, number>
    const rps = Object.fromEntries(STEPS.map((step) => [step, median(rounds.map((round) => round.results[step].rps))])) as Record<Step, number>
    console.table(Object.fromEntries(STEPS.map((step, n) => [step, {
      'CPU µs per answer (median)': cpu[step],
      'added by this step': n === 0 ? '-' : cpu[step] - cpu[STEPS[n - 1] as Step],
      'req/s (median)': Math.round(rps[step])
    }])))
  } finally {
    for (const server of servers) await server.stop()
    await redis.close()
  }
}
