// Cache hits over real HTTP: the gateway answering a warmed cached lookup from Redis, against the floor of
// one bare Fastify route answering the same bytes with one Redis GET. Both get the same request bodies.
import { createClient } from '@keyv/redis'
import { startServer, stopForPeakRss } from './children.js'
import { measureLoad, type LoadOptions, type LoadResult } from './load.js'
import { customerId, FLOOR_PREFIX, gatewayEnv } from './shared.js'

export const HIT_REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/15'
/** Distinct customer ids, all warmed, so hits spread over this many cache keys. */
export const HIT_KEYS = Number(process.env.BENCH_HIT_KEYS ?? 64)
/** The target: the gateway keeps at least this share of the floor's requests per second. */
export const HIT_TARGET = 0.7

export type Side = LoadResult & { peakRssMb: number }
export interface CacheHitResult { gateway: Side, floor: Side, bodyBytes: number }

const body = (n: number): string => JSON.stringify({ variables: { customerId: customerId(n % HIT_KEYS) } })

async function execute (url: string, payload: string): Promise<{ cache: string | null, body: string }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: payload })
  const text = await response.text()
  if (response.status !== 200) throw new Error(`${url} answered ${response.status}: ${text}`)
  return { cache: response.headers.get('x-cache'), body: text }
}

export async function measureCacheHit (emulatorUrl: string, load: LoadOptions): Promise<CacheHitResult> {
  const redis = createClient({ url: HIT_REDIS_URL })
  await redis.connect()
  try {
    // A flushed db makes the first call per key a MISS, so the warming below proves the cache was filled.
    await redis.flushDb()
    const gateway = await startServer('bench/gateway-process.ts', [], gatewayEnv(emulatorUrl, 'bench/actions', { REDIS_URL: HIT_REDIS_URL }))
    const url = gateway.url + '/v1/actions/bench-cached-lookup/execute'
    let bodyBytes = 0
    for (let n = 0; n < HIT_KEYS; n++) {
      const first = await execute(url, body(n))
      const again = await execute(url, body(n))
      if (first.cache !== 'MISS' || again.cache !== 'HIT') throw new Error(`warming ${customerId(n)}: x-cache ${String(first.cache)} then ${String(again.cache)}`)
      // The floor answers exactly what the gateway answered for this request on a hit.
      await redis.set(FLOOR_PREFIX + customerId(n), again.body)
      bodyBytes = Math.max(bodyBytes, Buffer.byteLength(again.body))
    }
    const gatewayLoad = await measureLoad(url, body, {
      ...load,
      accept: (response) => response.statusCode === 200 && response.headers['x-cache'] === 'HIT'
    })
    const gatewayRss = await stopForPeakRss(gateway)

    const floor = await startServer('bench/redis-floor-server.ts', [HIT_REDIS_URL])
    const floorLoad = await measureLoad(floor.url + '/lookup', body, load)
    const floorRss = await stopForPeakRss(floor)
    return { gateway: { ...gatewayLoad, peakRssMb: gatewayRss }, floor: { ...floorLoad, peakRssMb: floorRss }, bodyBytes }
  } finally {
    await redis.close()
  }
}
