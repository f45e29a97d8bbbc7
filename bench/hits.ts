// Cache hits over real HTTP, each against a floor that answers the same bytes with the least Redis work:
//   lookup     the one-row bench-cached-lookup (64 ids)           floor: one GET
//   page1      page 1 (25 rows) of bench-page's 10,000-row result  floor: one GET
//   page7      page 7 of the same result, via its cursor           floor: one GET
//   ratelimit  the lookup with an API key and Redis rate limits    floor: sha-256 of the key + one pipelined INCR/PEXPIRE/GET
// The floor serves exactly what the gateway answered each request with at warm-up. The gateways (open, and
// authenticated with limits) and the floor stay up while every side is measured in interleaved rounds.
import type { IncomingMessage } from 'node:http'
import { createClient } from '@keyv/redis'
import { post, untilHit, warmHit } from './calls.js'
import { startServer, type Server } from './children.js'
import { measureLoad, type Accept, type LoadResult } from './load.js'
import { formatSpread, loadFigure, rate, type TargetRow } from './report.js'
import { alternating, interleave, roundRatios, summarize, type Measure, type RoundsOptions, type SideSummary } from './rounds.js'
import { BENCH_REDIS_URL, customerId, floorKey, FLOOR_RATE_LIMIT, FLOOR_RATE_WINDOW_MS, gatewayEnv, knobs } from './shared.js'
import type { BenchTenant } from './tenants.js'

export const HIT_CASES = ['lookup', 'page1', 'page7', 'ratelimit'] as const
export type HitCase = typeof HIT_CASES[number]
type HitSide = `${HitCase}/${'gateway' | 'floor'}`

const TARGETS: Record<HitCase, { path: string, baseline: string, rps: number }> = {
  lookup: { path: 'cache hit, one-row lookup', baseline: 'bare Fastify + one Redis GET of the same bytes', rps: 0.9 },
  page1: { path: 'cache hit, page 1 (25 rows) of a 10,000-row result', baseline: 'same floor (one GET), same bytes', rps: 0.85 },
  page7: { path: 'cache hit, page 7 via cursor of the same result', baseline: 'same floor (one GET), same bytes', rps: 0.75 },
  ratelimit: { path: 'hit with API key + Redis rate limit', baseline: 'floor: sha-256 of the key + one pipelined INCR/PEXPIRE/GET', rps: 0.75 }
}
const LOOKUP_P99_TARGET = 1.3

interface SideSpec { url: string, body: (n: number) => string, headers?: Record<string, string>, accept?: Accept }
interface CaseSpec { gateway: SideSpec, floor: SideSpec, bodyBytes: number }

/** Where the floor finds each warm-up answer. */
interface FloorStore { set: (key: string, value: string) => Promise<unknown> }

const isHit: Accept = (response: IncomingMessage) => response.statusCode === 200 && response.headers['x-cache'] === 'HIT'
const json = (value: unknown): string => JSON.stringify(value)
/** bench-page's n-th starting id: 10,000 ids apart, so every result has its full 10,000 rows. */
const pageStart = (n: number): string => 'C' + String(1 + n * 10_000).padStart(6, '0')

async function lookupCase (gateway: string, floor: string, redis: FloorStore, entry: 'lookup' | 'authed', headers: Record<string, string> = {}): Promise<CaseSpec> {
  const url = gateway + '/v1/actions/bench-cached-lookup/execute'
  let bodyBytes = 0
  let limit: string | null = null
  for (let n = 0; n < knobs.hitKeys; n++) {
    const hit = await warmHit(url, { variables: { customerId: customerId(n) } }, headers)
    await redis.set(floorKey(entry, customerId(n)), hit.body)
    bodyBytes = Math.max(bodyBytes, Buffer.byteLength(hit.body))
    limit = hit.headers.get('x-ratelimit-limit')
  }
  // Each side proves its setup: the open gateway runs no limiter, the authenticated one counts and refuses strangers.
  const expected = entry === 'authed' ? String(FLOOR_RATE_LIMIT) : null
  if (limit !== expected) throw new Error(`${entry} gateway: x-ratelimit-limit ${String(limit)}, expected ${String(expected)}`)
  if (entry === 'authed' && (await post(url, { variables: { customerId: customerId(0) } })).status !== 401) throw new Error('authed gateway: a call without a key was not a 401')
  const body = (n: number): string => json({ variables: { customerId: customerId(n % knobs.hitKeys) } })
  return { gateway: { url, body, headers, accept: isHit }, floor: { url: floor + (entry === 'lookup' ? '/lookup' : '/limited'), body, headers }, bodyBytes }
}

interface PageAnswer { page: { offset: number, returned: number, nextCursor: string | null } }

/** Page 1 of each result (MISS, then HIT), then its cursor chain to page 7, each page a HIT. */
async function pageCases (gateway: string, floor: string, redis: FloorStore): Promise<Record<'page1' | 'page7', CaseSpec>> {
  const url = gateway + '/v1/actions/bench-page/execute'
  const cursors: string[] = []
  const bytes = { page1: 0, page7: 0 }
  for (let n = 0; n < knobs.pageKeys; n++) {
    const first = await warmHit(url, { variables: { fromCustomerId: pageStart(n) } })
    await redis.set(floorKey('page', pageStart(n)), first.body)
    bytes.page1 = Math.max(bytes.page1, Buffer.byteLength(first.body))
    let answer = JSON.parse(first.body) as PageAnswer
    for (let page = 2; page <= 7; page++) {
      const cursor = answer.page.nextCursor
      if (cursor === null) throw new Error(`bench-page from ${pageStart(n)}: no cursor after page ${page - 1}`)
      const next = await untilHit(url, { page: { cursor } })
      answer = JSON.parse(next.body) as PageAnswer
      if (page === 7) {
        if (answer.page.offset !== 150 || answer.page.returned !== 25) throw new Error(`page 7 of bench-page: offset ${answer.page.offset}, ${answer.page.returned} rows`)
        cursors.push(cursor)
        await redis.set(floorKey('cursor', cursor), next.body)
        bytes.page7 = Math.max(bytes.page7, Buffer.byteLength(next.body))
      }
    }
  }
  const first = (n: number): string => json({ variables: { fromCustomerId: pageStart(n % knobs.pageKeys) } })
  const seventh = (n: number): string => json({ page: { cursor: cursors[n % cursors.length] } })
  return {
    page1: { gateway: { url, body: first, accept: isHit }, floor: { url: floor + '/page', body: first }, bodyBytes: bytes.page1 },
    page7: { gateway: { url, body: seventh, accept: isHit }, floor: { url: floor + '/cursor', body: seventh }, bodyBytes: bytes.page7 }
  }
}

export async function measureHits (emulatorUrl: string, tenant: BenchTenant, cases: HitCase[]): Promise<TargetRow[]> {
  const redis = createClient({ url: BENCH_REDIS_URL })
  await redis.connect()
  const servers: Server[] = []
  const pidOf = (url: string): number | undefined => servers.find((server) => new URL(server.url).origin === new URL(url).origin)?.pid
  const start = async (script: string, args: string[], env?: Record<string, string>): Promise<Server> => {
    const server = await startServer(script, args, env)
    servers.push(server)
    return server
  }
  try {
    // A flushed db makes each first call a MISS, so the warm-up proves the cache was filled.
    await redis.flushDb()
    const floor = (await start('bench/floor-server.ts', [BENCH_REDIS_URL])).url
    const specs: Partial<Record<HitCase, CaseSpec>> = {}
    if (cases.some((c) => c !== 'ratelimit')) {
      const open = (await start('bench/gateway-process.ts', [], gatewayEnv(emulatorUrl, 'gateway-hits', { REDIS_URL: BENCH_REDIS_URL }))).url
      if (cases.includes('lookup')) specs.lookup = await lookupCase(open, floor, redis, 'lookup')
      if (cases.includes('page1') || cases.includes('page7')) Object.assign(specs, await pageCases(open, floor, redis))
    }
    if (cases.includes('ratelimit')) {
      const authed = (await start('bench/gateway-process.ts', [], gatewayEnv(emulatorUrl, 'gateway-authed', {
        REDIS_URL: BENCH_REDIS_URL,
        API_KEYS_FILE: tenant.file,
        RATE_LIMIT_MAX: String(FLOOR_RATE_LIMIT),
        RATE_LIMIT_WINDOW_SECONDS: String(FLOOR_RATE_WINDOW_MS / 1000)
      }))).url
      specs.ratelimit = await lookupCase(authed, floor, redis, 'authed', { authorization: `Bearer ${tenant.key}` })
    }

    const measured = cases.filter((c) => specs[c] !== undefined)
    const sides = measured.flatMap((c): HitSide[] => [`${c}/floor`, `${c}/gateway`])
    const measure = Object.fromEntries(sides.map((side) => {
      const [name, role] = side.split('/') as [HitCase, 'gateway' | 'floor']
      const spec = (specs[name] as CaseSpec)[role]
      return [side, async (warmupMs: number, ms: number) => await measureLoad(spec.url, spec.body, {
        concurrency: knobs.concurrency, warmupMs, ms, headers: spec.headers, accept: spec.accept, pid: pidOf(spec.url)
      })]
    })) as Record<HitSide, Measure<LoadResult>>
    const options: RoundsOptions = { rounds: knobs.rounds, ms: knobs.roundMs, firstWarmupMs: knobs.firstWarmupMs, warmupMs: knobs.warmupMs }
    const rounds = await interleave<HitSide>(measure, alternating(sides), options)

    console.table(Object.fromEntries(rounds.map((round, n) => [`round ${n + 1}`, Object.fromEntries(measured.flatMap((c) => [
      [`${c} gw rps`, rate(round.results[`${c}/gateway`].rps)],
      [`${c} floor rps`, rate(round.results[`${c}/floor`].rps)],
      [`${c} ratio`, (round.results[`${c}/gateway`].rps / round.results[`${c}/floor`].rps).toFixed(2)],
      [`${c} CPU µs/req gw/floor`, `${round.results[`${c}/gateway`].cpuUsPerRequest ?? '?'}/${round.results[`${c}/floor`].cpuUsPerRequest ?? '?'}`]
    ]))])))
    const perSide = (side: HitSide): SideSummary => summarize(rounds.map((round) => round.results[side]))

    return measured.flatMap((c) => {
      const gateway = perSide(`${c}/gateway`)
      const floorSide = perSide(`${c}/floor`)
      const target = TARGETS[c]
      const rps = roundRatios(rounds, `${c}/gateway`, `${c}/floor`, (r) => r.rps)
      const spec = specs[c] as CaseSpec
      // Answers that were not a 200 HIT count in neither req/s nor latency; the figure shows how many there were.
      const rows: TargetRow[] = [{
        path: target.path,
        baseline: `${target.baseline} (${spec.bodyBytes} B bodies)`,
        gateway: loadFigure(gateway),
        baselineFigure: loadFigure(floorSide),
        ratio: formatSpread(rps),
        target: `>= ${target.rps.toFixed(2)} req/s`,
        met: rps.median >= target.rps
      }]
      if (c === 'lookup') {
        const p99 = roundRatios(rounds, 'lookup/gateway', 'lookup/floor', (r) => r.p99Ms)
        rows.push({
          path: 'cache hit, one-row lookup: p99',
          baseline: target.baseline,
          gateway: `p99 ${gateway.p99Ms} ms`,
          baselineFigure: `p99 ${floorSide.p99Ms} ms`,
          ratio: formatSpread(p99),
          target: `p99 <= ${LOOKUP_P99_TARGET}x`,
          met: p99.median <= LOOKUP_P99_TARGET
        })
      }
      return rows
    })
  } finally {
    for (const server of servers) await server.stop()
    await redis.close()
  }
}
