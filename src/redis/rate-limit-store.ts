import { createHash } from 'node:crypto'
import type { FastifyRateLimitStore } from '@fastify/rate-limit'
import type { RedisConnection } from './redis-connection.js'

// The count and the window's remaining time in one round trip; the first count of a window starts its expiry.
const script = `
local current = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return { current, ttl }
`
const sha = createHash('sha1').update(script).digest('hex')

type Counted = Parameters<FastifyRateLimitStore['incr']>[1]
type ChildOptions = Parameters<FastifyRateLimitStore['child']>[0]

/**
 * Rate-limit counts in Redis, over the gateway's one connection (its deadline and breaker). Each count is one
 * EVALSHA of a short script: measured against MULTI (SET NX PX, INCR, PTTL), both one round trip, the script
 * costs the client about half as much per call. A Redis that lost its scripts (restart, SCRIPT FLUSH) gets the
 * script once more by EVAL.
 */
export class RedisRateLimitStore implements FastifyRateLimitStore {
  constructor (readonly redis: RedisConnection, readonly prefix: string) {}

  incr (key: string, counted: Counted, timeWindow: number): void {
    this.#count(this.prefix + key, timeWindow).then((result) => counted(null, result), (err: Error) => counted(err))
  }

  /** Each route counts under its own prefix, as @fastify/rate-limit's own stores do. */
  child (routeOptions: ChildOptions): FastifyRateLimitStore {
    // Typed as route options, it is the route's merged rate-limit settings, the route itself under `routeInfo`.
    const { routeInfo } = routeOptions as unknown as { routeInfo: { method: string | string[], url: string } }
    return new RedisRateLimitStore(this.redis, `${this.prefix}${String(routeInfo.method)}${routeInfo.url}-`)
  }

  async #count (key: string, windowMs: number): Promise<{ current: number, ttl: number }> {
    const { client } = this.redis
    const args = { keys: [key], arguments: [String(windowMs)] }
    const reply = await this.redis.call(async () => {
      try {
        return await client.evalSha(sha, args)
      } catch (err) {
        if (!(err as Error).message.startsWith('NOSCRIPT')) throw err
        return await client.eval(script, args)
      }
    })
    const [current, ttl] = reply as [number, number]
    return { current, ttl }
  }
}
