// Cache hits over real HTTP: the gateway answering a warmed cached lookup from Redis, against the floor of
// one bare Fastify route answering the same bytes with one Redis GET. Both get the same request bodies.
// The gateway runs twice on the same load: open (demo mode, no rate limits; the hit path issue 4 set the
// target for) and with one tenant's API key and Redis-backed rate limits, so their cost is a ratio too.
import { createHash, randomBytes } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createClient } from '@keyv/redis'
import { startServer, stopForPeakRss } from './children.js'
import { measureLoad, type LoadOptions, type LoadResult } from './load.js'
import { customerId, FLOOR_PREFIX, gatewayEnv } from './shared.js'

export const HIT_REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/15'
/** Distinct customer ids, all warmed, so hits spread over this many cache keys. */
export const HIT_KEYS = Number(process.env.BENCH_HIT_KEYS ?? 64)
/** The target: the gateway keeps at least this share of the floor's requests per second. */
export const HIT_TARGET = 0.7
/** The "with" side's limit: on, counting in Redis, and far above what the run can send. */
const RATE_LIMIT_ON = '1000000000'

export type Side = LoadResult & { peakRssMb: number }
export interface CacheHitResult {
  /** Demo mode, RATE_LIMIT_MAX=0: section 3's gateway and section 4's "without". */
  open: Side
  /** API_KEYS_FILE with one tenant, its key as a Bearer token, rate limits counted in Redis. */
  authed: Side
  floor: Side
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
 * Starts a gateway child, proves each id is filled (MISS) and then served from the cache (HIT), and measures.
 * `check` sees the last warming answer, so a side can prove its own setup (limiter on or off).
 */
async function measureGateway (env: Record<string, string>, headers: Record<string, string>, load: LoadOptions,
  check: (url: string, hit: Answer) => Promise<void>, onHit: (n: number, hit: Answer) => Promise<void>): Promise<Side> {
  const gateway = await startServer('bench/gateway-process.ts', [], env)
  try {
    const url = gateway.url + '/v1/actions/bench-cached-lookup/execute'
    let last: Answer | undefined
    for (let n = 0; n < HIT_KEYS; n++) {
      const first = await execute(url, body(n), headers)
      last = await execute(url, body(n), headers)
      const [a, b] = [first.headers.get('x-cache'), last.headers.get('x-cache')]
      if (a !== 'MISS' || b !== 'HIT') throw new Error(`warming ${customerId(n)}: x-cache ${String(a)} then ${String(b)}`)
      await onHit(n, last)
    }
    if (last) await check(url, last)
    const measured = await measureLoad(url, body, {
      ...load,
      headers,
      accept: (response) => response.statusCode === 200 && response.headers['x-cache'] === 'HIT'
    })
    return { ...measured, peakRssMb: await stopForPeakRss(gateway) }
  } catch (err) {
    await gateway.stop()
    throw err
  }
}

export async function measureCacheHit (emulatorUrl: string, tenant: BenchTenant, load: LoadOptions): Promise<CacheHitResult> {
  const redis = createClient({ url: HIT_REDIS_URL })
  await redis.connect()
  try {
    // A flushed db makes the first call per key a MISS, so the warming proves the cache was filled. The tenant is
    // part of the cache key, so the authenticated side fills its own entries on the same db.
    await redis.flushDb()
    let bodyBytes = 0
    const open = await measureGateway(
      gatewayEnv(emulatorUrl, 'bench/actions', { REDIS_URL: HIT_REDIS_URL, RATE_LIMIT_MAX: '0' }), {}, load,
      async (_url, hit) => {
        if (hit.headers.has('x-ratelimit-limit')) throw new Error('open side: the rate limiter still runs with RATE_LIMIT_MAX=0')
      },
      async (n, hit) => {
        // The floor answers exactly what the gateway answered for this request on a hit.
        await redis.set(FLOOR_PREFIX + customerId(n), hit.body)
        bodyBytes = Math.max(bodyBytes, Buffer.byteLength(hit.body))
      })

    const authed = await measureGateway(
      gatewayEnv(emulatorUrl, 'bench/actions', { REDIS_URL: HIT_REDIS_URL, API_KEYS_FILE: tenant.file, RATE_LIMIT_MAX: RATE_LIMIT_ON }),
      { authorization: `Bearer ${tenant.key}` }, load,
      async (url, hit) => {
        if (hit.headers.get('x-ratelimit-limit') !== RATE_LIMIT_ON) throw new Error(`authed side: x-ratelimit-limit ${String(hit.headers.get('x-ratelimit-limit'))}`)
        const anonymous = await post(url, body(0), {})
        if (anonymous.status !== 401) throw new Error(`authed side: a call without a key answered ${anonymous.status}`)
      },
      async () => {})

    const floor = await startServer('bench/redis-floor-server.ts', [HIT_REDIS_URL])
    const floorLoad = await measureLoad(floor.url + '/lookup', body, load)
    const floorRss = await stopForPeakRss(floor)
    return { open, authed, floor: { ...floorLoad, peakRssMb: floorRss }, bodyBytes }
  } finally {
    await redis.close()
  }
}
