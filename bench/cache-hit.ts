// Cache hits over real HTTP: the gateway answering a warmed cached lookup from Redis, against the floor of
// one bare Fastify route answering the same bytes with one Redis GET. Both get the same request bodies.
// Two gateways take the same load: open (demo mode, no rate limits; the hit path issue 4 set the target for)
// and with one tenant's API key and Redis-backed rate limits, so their cost is a ratio too. All three servers
// stay up and are measured in interleaved rounds (rounds.ts); every ratio is a median of per-round ratios.
import { createHash, randomBytes } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createClient } from '@keyv/redis'
import type { IncomingMessage } from 'node:http'
import { startServer, stopForPeakRss, type Server } from './children.js'
import { measureLoad, type LoadResult } from './load.js'
import { interleave, roundRatios, summarize, type Round, type RoundsOptions, type SideSummary, type Spread } from './rounds.js'
import { customerId, FLOOR_PREFIX, gatewayEnv } from './shared.js'

export const HIT_REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/15'
/** Distinct customer ids, all warmed, so hits spread over this many cache keys. */
export const HIT_KEYS = Number(process.env.BENCH_HIT_KEYS ?? 64)
/** The target: the gateway keeps at least this share of the floor's requests per second. */
export const HIT_TARGET = 0.7
/** The "with" side's limit: on, counting in Redis, and far above what the run can send. */
const RATE_LIMIT_ON = '1000000000'

export type HitSide = 'open' | 'authed' | 'floor'
export type SideResult = SideSummary & { peakRssMb: number }
export interface CacheHitResult {
  /** Demo mode, RATE_LIMIT_MAX=0: section 3's gateway and section 4's "without". */
  open: SideResult
  /** API_KEYS_FILE with one tenant, its key as a Bearer token, rate limits counted in Redis. */
  authed: SideResult
  floor: SideResult
  rounds: Array<Round<HitSide>>
  /** open / floor req/s, per round. */
  hitShare: Spread
  /** authed / open, per round. */
  withWithout: { rps: Spread, p50: Spread, p99: Spread }
  /** authed / floor req/s, per round. */
  withFloor: Spread
  bodyBytes: number
}

/** A tenants file with one tenant and a fresh key, in a temp dir; `remove` deletes both. */
export interface BenchTenant { file: string, key: string, remove: () => Promise<void> }

export async function writeTenantsFile (): Promise<BenchTenant> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-tenants-'))
  const key = randomBytes(24).toString('base64url')
  const sha256 = createHash('sha256').update(key).digest('hex')
  const file = join(dir, 'tenants.yaml')
  await writeFile(file, `tenants:\n  - name: bench\n    keys:\n      - { id: bench-load, sha256: ${sha256} }\n`)
  return { file, key, remove: async () => { await rm(dir, { recursive: true, force: true }) } }
}

const body = (n: number): string => JSON.stringify({ variables: { customerId: customerId(n % HIT_KEYS) } })

interface Answer { status: number, headers: Headers, body: string }

async function post (url: string, payload: string, headers: Record<string, string>): Promise<Answer> {
  const response = await fetch(url, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: payload })
  return { status: response.status, headers: response.headers, body: await response.text() }
}

async function execute (url: string, payload: string, headers: Record<string, string>): Promise<Answer> {
  const answer = await post(url, payload, headers)
  if (answer.status !== 200) throw new Error(`${url} answered ${answer.status}: ${answer.body}`)
  return answer
}

/**
 * Starts a gateway child and proves each id is filled (MISS) and then served from the cache (HIT). `check` sees
 * the last warming answer, so a side can prove its own setup (limiter on or off).
 */
async function startGateway (env: Record<string, string>, headers: Record<string, string>,
  check: (url: string, hit: Answer) => Promise<void>, onHit: (n: number, hit: Answer) => Promise<void>): Promise<{ server: Server, url: string }> {
  const server = await startServer('bench/gateway-process.ts', [], env)
  try {
    const url = server.url + '/v1/actions/bench-cached-lookup/execute'
    let last: Answer | undefined
    for (let n = 0; n < HIT_KEYS; n++) {
      const first = await execute(url, body(n), headers)
      last = await execute(url, body(n), headers)
      const [a, b] = [first.headers.get('x-cache'), last.headers.get('x-cache')]
      if (a !== 'MISS' || b !== 'HIT') throw new Error(`warming ${customerId(n)}: x-cache ${String(a)} then ${String(b)}`)
      await onHit(n, last)
    }
    if (last) await check(url, last)
    return { server, url }
  } catch (err) {
    await server.stop()
    throw err
  }
}

const isHit = (response: IncomingMessage): boolean => response.statusCode === 200 && response.headers['x-cache'] === 'HIT'

// The open gateway sits between its two comparators in every round, and each of them goes first every other round.
const ORDERS: Array<HitSide[]> = [['floor', 'open', 'authed'], ['authed', 'open', 'floor']]

export async function measureCacheHit (emulatorUrl: string, tenant: BenchTenant, concurrency: number,
  rounds: RoundsOptions): Promise<CacheHitResult> {
  const redis = createClient({ url: HIT_REDIS_URL })
  await redis.connect()
  const servers: Partial<Record<HitSide, Server>> = {}
  try {
    // A flushed db makes the first call per key a MISS, so the warming proves the cache was filled. The tenant is
    // part of the cache key, so the authenticated side fills its own entries on the same db.
    await redis.flushDb()
    let bodyBytes = 0
    const open = await startGateway(
      gatewayEnv(emulatorUrl, 'bench/actions', { REDIS_URL: HIT_REDIS_URL, RATE_LIMIT_MAX: '0' }), {},
      async (_url, hit) => {
        if (hit.headers.has('x-ratelimit-limit')) throw new Error('open side: the rate limiter still runs with RATE_LIMIT_MAX=0')
      },
      async (n, hit) => {
        // The floor answers exactly what the gateway answered for this request on a hit.
        await redis.set(FLOOR_PREFIX + customerId(n), hit.body)
        bodyBytes = Math.max(bodyBytes, Buffer.byteLength(hit.body))
      })
    servers.open = open.server

    const bearer = { authorization: `Bearer ${tenant.key}` }
    const authed = await startGateway(
      gatewayEnv(emulatorUrl, 'bench/actions', { REDIS_URL: HIT_REDIS_URL, API_KEYS_FILE: tenant.file, RATE_LIMIT_MAX: RATE_LIMIT_ON }),
      bearer,
      async (url, hit) => {
        if (hit.headers.get('x-ratelimit-limit') !== RATE_LIMIT_ON) throw new Error(`authed side: x-ratelimit-limit ${String(hit.headers.get('x-ratelimit-limit'))}`)
        const anonymous = await post(url, body(0), {})
        if (anonymous.status !== 401) throw new Error(`authed side: a call without a key answered ${anonymous.status}`)
      },
      async () => {})
    servers.authed = authed.server

    servers.floor = await startServer('bench/redis-floor-server.ts', [HIT_REDIS_URL])
    const floorUrl = servers.floor.url + '/lookup'

    const measured = await interleave<HitSide>({
      open: async (warmupMs, ms) => await measureLoad(open.url, body, { concurrency, warmupMs, ms, accept: isHit }),
      authed: async (warmupMs, ms) => await measureLoad(authed.url, body, { concurrency, warmupMs, ms, accept: isHit, headers: bearer }),
      floor: async (warmupMs, ms) => await measureLoad(floorUrl, body, { concurrency, warmupMs, ms })
    }, (round) => ORDERS[round % ORDERS.length] as HitSide[], rounds)

    const side = async (name: HitSide): Promise<SideResult> => {
      const server = servers[name] as Server
      Reflect.deleteProperty(servers, name)
      return { ...summarize(measured.map((round) => round.results[name])), peakRssMb: await stopForPeakRss(server) }
    }
    const rps = (r: LoadResult): number => r.rps
    return {
      open: await side('open'),
      authed: await side('authed'),
      floor: await side('floor'),
      rounds: measured,
      hitShare: roundRatios(measured, 'open', 'floor', rps),
      withWithout: {
        rps: roundRatios(measured, 'authed', 'open', rps),
        p50: roundRatios(measured, 'authed', 'open', (r) => r.p50Ms),
        p99: roundRatios(measured, 'authed', 'open', (r) => r.p99Ms)
      },
      withFloor: roundRatios(measured, 'authed', 'floor', rps),
      bodyBytes
    }
  } finally {
    for (const server of Object.values(servers)) await server.stop()
    await redis.close()
  }
}
