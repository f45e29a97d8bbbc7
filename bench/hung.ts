// A cached action while Redis is hung: the bench's own redis-server is frozen (SIGSTOP) with the cache warm, and
// the warmed bench-cached-lookup is loaded from that moment on; the baseline is bench-lookup (the same statement,
// cache off) on the same gateway with Redis healthy. Interleaved: each round resumes Redis for the baseline's
// window and freezes it again for the hung window. Any answer but a 200 (or no answer) is a failed request.
import { warmHit } from './calls.js'
import { startServer, type Server } from './children.js'
import { countingCache, formatCounts, measureLoad } from './load.js'
import { startOwnRedis, type OwnRedis } from './redis-process.js'
import { formatSpread, loadFigure, rate, type TargetRow } from './report.js'
import { alternating, interleave, roundRatios, summarize } from './rounds.js'
import { customerId, gatewayEnv, knobs } from './shared.js'

const RPS_TARGET = 0.8

type Side = 'healthy' | 'hung'

export async function measureHung (emulatorUrl: string): Promise<TargetRow[]> {
  let redis: OwnRedis | undefined
  let gateway: Server | undefined
  try {
    redis = await startOwnRedis()
    const own = redis
    const server = await startServer('bench/gateway-process.ts', [], gatewayEnv(emulatorUrl, 'gateway-hung', { REDIS_URL: own.url }))
    gateway = server
    const cached = server.url + '/v1/actions/bench-cached-lookup/execute'
    for (let n = 0; n < knobs.hitKeys; n++) await warmHit(cached, { variables: { customerId: customerId(n) } })
    const body = (n: number): string => JSON.stringify({ variables: { customerId: customerId(n % knobs.hitKeys) } })
    // What the gateway answered from while Redis was hung.
    const answeredFrom = new Map<string, number>()
    const tally = countingCache((response) => response.statusCode === 200, answeredFrom)
    const load = { concurrency: knobs.concurrency, timeoutMs: 10_000 }
    const rounds = await interleave<Side>({
      healthy: async (warmupMs, ms) => {
        own.resume()
        return await measureLoad(server.url + '/v1/actions/bench-lookup/execute', body, { ...load, warmupMs, ms })
      },
      // No warm-up: the first seconds of the hang are the ones callers meet first.
      hung: async (_warmupMs, ms) => {
        own.hang()
        try {
          return await measureLoad(cached, body, { ...load, warmupMs: 0, ms, accept: tally })
        } finally {
          own.resume()
        }
      }
    }, alternating<Side>(['healthy', 'hung']), { rounds: knobs.hungRounds, ms: knobs.hungMs, firstWarmupMs: knobs.firstWarmupMs, warmupMs: knobs.warmupMs })

    console.table(Object.fromEntries(rounds.map((round, n) => [`round ${n + 1}`, {
      'hung rps': rate(round.results.hung.rps),
      'hung failed': round.results.hung.errors,
      'healthy cache-off rps': rate(round.results.healthy.rps),
      ratio: (round.results.hung.rps / round.results.healthy.rps).toFixed(2)
    }])))
    console.log(`  answers while hung, by x-cache: ${formatCounts(answeredFrom)}`)
    const hung = summarize(rounds.map((round) => round.results.hung))
    const rps = roundRatios(rounds, 'hung', 'healthy', (r) => r.rps)
    return [{
      path: 'cached action while Redis is hung (SIGSTOP)',
      baseline: 'the same action with the cache off, Redis healthy',
      gateway: `${loadFigure(hung)}; ${hung.errors} failed of ${hung.requests + hung.errors}`,
      baselineFigure: loadFigure(summarize(rounds.map((round) => round.results.healthy))),
      ratio: formatSpread(rps),
      target: `>= ${RPS_TARGET.toFixed(1)}x req/s, 0 failed requests`,
      met: rps.median >= RPS_TARGET && hung.errors === 0
    }]
  } finally {
    await gateway?.stop()
    await redis?.stop()
  }
}
