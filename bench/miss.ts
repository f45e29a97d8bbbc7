// Time to first page on a cache miss: bench-miss-10k and bench-miss-100k (one statement, maxRows 10,000 and
// 100,000, default page 25) against a bare snowflake-sdk handler that reads the first 25 rows of the same
// statement. Every request sends a minimum never sent before, so no gateway answer can be a HIT.
import type { IncomingMessage } from 'node:http'
import { startServer, type Server } from './children.js'
import { countingCache, formatCounts, measureLoad } from './load.js'
import { formatSpread, loadFigure, type TargetRow } from './report.js'
import { alternating, interleave, median, roundRatios, summarize } from './rounds.js'
import { BENCH_REDIS_URL, gatewayEnv, knobs } from './shared.js'

const LATENCY_TARGET = 1.3
/** The two maxRows' p50 within this share of each other. */
const SPREAD_TARGET = 0.2

// `nocache`: the same statement with the cache off, no fill behind its first page: what the fill costs, not a target.
type Side = 'miss-10k' | 'bare' | 'miss-100k' | 'nocache'

// Not a HIT: a MISS, or a BYPASS where the gateway did not wait for the cache (a busy machine, an open breaker); both
// are first pages read from the warehouse, which is what this row times. The counts of each are printed.
const notHit = (response: IncomingMessage): boolean => response.statusCode === 200 && response.headers['x-cache'] !== 'HIT'

export async function measureMiss (emulatorUrl: string): Promise<TargetRow[]> {
  const servers: Server[] = []
  try {
    const bare = await startServer('bench/bare-server.ts', [emulatorUrl])
    servers.push(bare)
    const gateway = await startServer('bench/gateway-process.ts', [], gatewayEnv(emulatorUrl, 'gateway-miss', { REDIS_URL: BENCH_REDIS_URL }))
    servers.push(gateway)
    const settled: number[] = []
    // Shared by all sides and never reset: no two requests of the run send the same variables.
    let sent = 0
    const body = (): string => JSON.stringify({ variables: { minLifetimeValue: sent++ / 1000 } })
    const answeredFrom = new Map<string, number>()
    const isMiss = countingCache(notHit, answeredFrom)
    const load = { concurrency: knobs.missConcurrency, timeoutMs: 60_000 }
    const rounds = await interleave<Side>({
      'miss-10k': async (warmupMs, ms) => await measureLoad(gateway.url + '/v1/actions/bench-miss-10k/execute', body, { ...load, warmupMs, ms, accept: isMiss }),
      bare: async (warmupMs, ms) => await measureLoad(bare.url + '/first-rows', body, { ...load, warmupMs, ms }),
      'miss-100k': async (warmupMs, ms) => await measureLoad(gateway.url + '/v1/actions/bench-miss-100k/execute', body, { ...load, warmupMs, ms, accept: isMiss }),
      nocache: async (warmupMs, ms) => await measureLoad(gateway.url + '/v1/actions/bench-miss-nocache/execute', body, { ...load, warmupMs, ms })
    }, alternating<Side>(['miss-10k', 'bare', 'miss-100k', 'nocache']), {
      rounds: knobs.rounds,
      ms: knobs.missMs,
      firstWarmupMs: knobs.firstWarmupMs,
      warmupMs: knobs.warmupMs,
      // The gateway's fills of the window before (100,000 rows each) would otherwise run on into the next side's.
      settle: async () => { settled.push(await untilQuiet(emulatorUrl, gateway.url)) }
    })

    console.table(Object.fromEntries(rounds.map((round, n) => [`round ${n + 1}`, {
      'maxRows 10k p50 ms': round.results['miss-10k'].p50Ms,
      'maxRows 100k p50 ms': round.results['miss-100k'].p50Ms,
      'bare p50 ms': round.results.bare.p50Ms,
      '10k / bare': (round.results['miss-10k'].p50Ms / round.results.bare.p50Ms).toFixed(2),
      '100k / bare': (round.results['miss-100k'].p50Ms / round.results.bare.p50Ms).toFixed(2),
      'cache off p50 ms': round.results.nocache.p50Ms,
      'cache off / bare': (round.results.nocache.p50Ms / round.results.bare.p50Ms).toFixed(2)
    }])))
    console.log(`  gateway answers by x-cache: ${formatCounts(answeredFrom)}`)
    console.log(`  before each window, waited for the gateway's fills and the emulator's statements to end: up to ${Math.max(...settled)} ms (median ${median(settled)} ms)`)
    const p50 = (r: { p50Ms: number }): number => r.p50Ms
    console.log(`  the same statement with the cache off (no fill behind the first page): p50 ${formatSpread(roundRatios(rounds, 'nocache', 'bare', p50))} of the bare handler's`)
    const bareSummary = summarize(rounds.map((round) => round.results.bare))
    const baseline = 'bare snowflake-sdk handler reading the first 25 rows of the same statement'
    const rows: TargetRow[] = (['miss-10k', 'miss-100k'] as const).map((side) => {
      const summary = summarize(rounds.map((round) => round.results[side]))
      const ratio = roundRatios(rounds, side, 'bare', p50)
      return {
        path: `miss, time to first page, maxRows ${side === 'miss-10k' ? '10,000' : '100,000'} (p50)`,
        baseline,
        gateway: loadFigure(summary),
        baselineFigure: loadFigure(bareSummary),
        ratio: formatSpread(ratio),
        target: `p50 <= ${LATENCY_TARGET}x`,
        met: ratio.median <= LATENCY_TARGET
      }
    })
    const between = roundRatios(rounds, 'miss-100k', 'miss-10k', p50)
    rows.push({
      path: 'miss, time to first page: maxRows 100,000 vs 10,000 (p50)',
      baseline: 'the same miss with maxRows 10,000',
      gateway: `p50 ${summarize(rounds.map((round) => round.results['miss-100k'])).p50Ms} ms`,
      baselineFigure: `p50 ${summarize(rounds.map((round) => round.results['miss-10k'])).p50Ms} ms`,
      ratio: formatSpread(between),
      target: `within ${SPREAD_TARGET * 100} % (${1 - SPREAD_TARGET}–${1 + SPREAD_TARGET})`,
      met: Math.abs(between.median - 1) <= SPREAD_TARGET
    })
    return rows
  } finally {
    for (const server of servers) await server.stop()
  }
}

/** Waits (at most 60 s) until no cache fill runs in the gateway and no statement in the emulator; ms waited. */
async function untilQuiet (emulatorUrl: string, gatewayUrl: string): Promise<number> {
  const started = Date.now()
  const busy = async (): Promise<boolean> => {
    const stats = await (await fetch(`${emulatorUrl}/__emulator/stats`)).json() as { runningQueries: number }
    const metrics = await (await fetch(`${gatewayUrl}/metrics`)).text()
    return stats.runningQueries > 0 || !/^gateway_cache_fills_running 0$/m.test(metrics)
  }
  while (await busy() && Date.now() - started < 60_000) await new Promise((resolve) => setTimeout(resolve, 50))
  return Date.now() - started
}
