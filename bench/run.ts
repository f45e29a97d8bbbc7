// npm run bench: the gateway against a bare baseline measured in the same run, as ratios.
//   1. POST /v1/actions/bench-lookup/execute (cache off) vs one Fastify route over a bare snowflake-sdk pool
//   2. NDJSON stream of interaction-export vs snowflake-sdk streamRows() of the same statement
//   3. cache hits of a cached lookup (Redis; demo mode, no rate limits) vs one Fastify route answering the same
//      bytes with one Redis GET
//   4. the same cache hits with an API key and Redis-backed rate limits vs without (section 3's gateway)
// Sections 3 and 4 measure their three servers in interleaved rounds and report medians of per-round ratios.
// The emulator, each server and the stream baseline run in their own processes.
import { startServer, runToEnd, stopForPeakRss } from './children.js'
import { HIT_KEYS, HIT_REDIS_URL, HIT_TARGET, measureCacheHit, writeTenantsFile } from './cache-hit.js'
import { measureLoad, type LoadOptions, type LoadResult } from './load.js'
import type { RoundsOptions, Spread } from './rounds.js'
import { POOL_SIZE, STREAM_ROWS, customerId, gatewayEnv } from './shared.js'
import { countNdjson } from './stream-client.js'

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16)
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15)
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 3)

interface Measured { rowsPerSecond: number, peakRssMb: number }

const load: LoadOptions = { concurrency: CONCURRENCY, warmupMs: WARMUP_SECONDS * 1000, ms: SECONDS * 1000 }
const rounds: RoundsOptions = {
  rounds: Number(process.env.BENCH_ROUNDS ?? 6),
  ms: Number(process.env.BENCH_ROUND_SECONDS ?? 4) * 1000,
  firstWarmupMs: WARMUP_SECONDS * 1000,
  warmupMs: 500
}
const ratio = (a: number, b: number): string => (a / b).toFixed(2)
const started = performance.now()

// Each section sets the gateway's auth and rate limits itself; none may leak in from the caller's shell.
for (const name of ['API_KEYS_FILE', 'RATE_LIMIT_MAX', 'RATE_LIMIT_WINDOW_SECONDS']) Reflect.deleteProperty(process.env, name)
const tenant = await writeTenantsFile()
const emulator = await startServer('packages/snowflake-emulator/src/cli.ts', ['--port', '0', '--big-table-rows', String(STREAM_ROWS)])
try {
  console.log(`emulator ${emulator.url}; pool ${POOL_SIZE}; ${CONCURRENCY} callers, ${WARMUP_SECONDS} s warm-up, ${SECONDS} s measured per side`)

  console.log('\n1. execute latency, cache off: gateway vs bare Fastify + snowflake-sdk pool')
  const bare = await startServer('bench/bare-server.ts', [emulator.url])
  const bareLoad: LoadResult = await measureLoad(bare.url + '/lookup', (n) => JSON.stringify({ customerId: customerId(n) }), load)
  const bareRss = await stopForPeakRss(bare)
  const gateway = await startServer('bench/gateway-process.ts', [], gatewayEnv(emulator.url, 'bench/actions'))
  const gatewayLoad: LoadResult = await measureLoad(gateway.url + '/v1/actions/bench-lookup/execute',
    (n) => JSON.stringify({ variables: { customerId: customerId(n) } }), load)
  const gatewayRss = await stopForPeakRss(gateway)
  console.table({ 'gateway execute': { ...gatewayLoad, peakRssMb: gatewayRss }, 'bare Fastify + driver (baseline)': { ...bareLoad, peakRssMb: bareRss } })

  console.log(`\n2. NDJSON stream of ${STREAM_ROWS.toLocaleString('en-US')} rows: gateway vs driver streamRows()`)
  const direct = JSON.parse(await runToEnd('bench/driver-stream.ts', [emulator.url])) as Measured & { rows: number, ms: number }
  const streamer = await startServer('bench/gateway-process.ts', [], gatewayEnv(emulator.url, 'actions'))
  const streamed = await countNdjson(streamer.url + '/v1/actions/interaction-export/stream', { variables: { fromEventId: 1 }, all: true })
  const streamRss = await stopForPeakRss(streamer)
  if (streamed.rows !== direct.rows) console.error(`  row counts differ: gateway ${streamed.rows}, driver ${direct.rows}`)
  console.table({ 'gateway /stream (NDJSON over HTTP)': { ...streamed, peakRssMb: streamRss }, 'driver streamRows (baseline)': direct })

  console.log(`\n3./4. execute cache hits (${HIT_REDIS_URL}, ${HIT_KEYS} warmed customer ids): ${rounds.rounds} interleaved rounds of ` +
    `${rounds.ms / 1000} s per side (${rounds.firstWarmupMs / 1000} s warm-up before a side's first window, ${rounds.warmupMs / 1000} s before the others)`)
  const hits = await measureCacheHit(emulator.url, tenant, CONCURRENCY, rounds)
  console.table(Object.fromEntries(hits.rounds.map((round, n) => [`round ${n + 1}`, {
    order: round.order.join(' > '),
    'open rps': round.results.open.rps,
    'floor rps': round.results.floor.rps,
    'authed rps': round.results.authed.rps,
    'open / floor': ratio(round.results.open.rps, round.results.floor.rps),
    'authed / open': ratio(round.results.authed.rps, round.results.open.rps)
  }])))
  const range = (s: Spread): string => `${s.median.toFixed(2)} (rounds ${s.min.toFixed(2)}–${s.max.toFixed(2)})`

  console.log('\n3. cache hits, gateway open (demo mode, RATE_LIMIT_MAX=0) vs bare Fastify + one Redis GET (floor); medians over the rounds')
  console.table({ 'gateway execute, cache HIT (open)': hits.open, 'bare Fastify + Redis GET (floor)': hits.floor })
  const hitMet = hits.hitShare.median >= HIT_TARGET
  console.log(`  ${hits.bodyBytes} B bodies; gateway / floor req/s, median of per-round ratios: ${range(hits.hitShare)}; ` +
    `target of at least ${HIT_TARGET * 100} % ${hitMet ? 'met' : 'NOT met'}`)

  console.log('\n4. cache hits with auth + rate limiting (one tenant, Bearer key, limits counted in Redis) vs without (section 3\'s open gateway)')
  console.table({ 'with: API key + rate limits': hits.authed, 'without: open, RATE_LIMIT_MAX=0': hits.open })
  console.log(`  with / without, medians of per-round ratios: req/s ${range(hits.withWithout.rps)}, p50 ${range(hits.withWithout.p50)}, ` +
    `p99 ${range(hits.withWithout.p99)}; with / floor req/s ${range(hits.withFloor)}`)

  console.log(`\nSummary (ratio = gateway / baseline; ${new Date().toISOString().slice(0, 10)}, ${Math.round((performance.now() - started) / 1000)} s)`)
  console.table({
    'execute p50 ms': { gateway: gatewayLoad.p50Ms, baseline: bareLoad.p50Ms, ratio: ratio(gatewayLoad.p50Ms, bareLoad.p50Ms) },
    'execute p99 ms': { gateway: gatewayLoad.p99Ms, baseline: bareLoad.p99Ms, ratio: ratio(gatewayLoad.p99Ms, bareLoad.p99Ms) },
    'execute req/s': { gateway: gatewayLoad.rps, baseline: bareLoad.rps, ratio: ratio(gatewayLoad.rps, bareLoad.rps) },
    'execute server peak RSS MB': { gateway: gatewayRss, baseline: bareRss, ratio: ratio(gatewayRss, bareRss) },
    // Cache-hit rows: per-side medians over the rounds; their ratio is the median of the per-round ratios.
    'cache hit p50 ms (median)': { gateway: hits.open.p50Ms, baseline: hits.floor.p50Ms, ratio: ratio(hits.open.p50Ms, hits.floor.p50Ms) },
    'cache hit p99 ms (median)': { gateway: hits.open.p99Ms, baseline: hits.floor.p99Ms, ratio: ratio(hits.open.p99Ms, hits.floor.p99Ms) },
    'cache hit req/s (median ratio)': { gateway: hits.open.rps, baseline: hits.floor.rps, ratio: hits.hitShare.median.toFixed(2) },
    'cache hit server peak RSS MB': { gateway: hits.open.peakRssMb, baseline: hits.floor.peakRssMb, ratio: ratio(hits.open.peakRssMb, hits.floor.peakRssMb) },
    'hit + auth/limits p50 ms (vs open)': { gateway: hits.authed.p50Ms, baseline: hits.open.p50Ms, ratio: hits.withWithout.p50.median.toFixed(2) },
    'hit + auth/limits p99 ms (vs open)': { gateway: hits.authed.p99Ms, baseline: hits.open.p99Ms, ratio: hits.withWithout.p99.median.toFixed(2) },
    'hit + auth/limits req/s (vs open)': { gateway: hits.authed.rps, baseline: hits.open.rps, ratio: hits.withWithout.rps.median.toFixed(2) },
    'stream rows/s': { gateway: streamed.rowsPerSecond, baseline: direct.rowsPerSecond, ratio: ratio(streamed.rowsPerSecond, direct.rowsPerSecond) },
    'stream peak RSS MB': { gateway: streamRss, baseline: direct.peakRssMb, ratio: ratio(streamRss, direct.peakRssMb) }
  })
  if (bareLoad.errors + gatewayLoad.errors > 0) console.error(`non-200 answers: gateway ${gatewayLoad.errors}, baseline ${bareLoad.errors}`)
  if (hits.open.errors + hits.authed.errors + hits.floor.errors > 0) {
    console.error(`cache hit errors (non-200, or not x-cache HIT): open ${hits.open.errors}, with auth/limits ${hits.authed.errors}, floor ${hits.floor.errors}`)
  }
  console.log(`cache hit req/s target (gateway >= ${HIT_TARGET * 100} % of floor, median of ${hits.rounds.length} rounds): ` +
    `${hitMet ? 'met' : 'NOT met'} (${range(hits.hitShare)})`)
} finally {
  await emulator.stop()
  await tenant.remove()
}
