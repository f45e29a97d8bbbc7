import type { FastifyRateLimitStore } from '@fastify/rate-limit'
import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { pino } from 'pino'
import { RedisConnection } from '../../src/redis/redis-connection.js'
import { RedisRateLimitStore } from '../../src/redis/rate-limit-store.js'
import { flushDb, sharedRedisUrl } from '../redis.js'

// Database 12 of the shared Redis belongs to this file.
await flushDb(12)
const redis = new RedisConnection({ url: sharedRedisUrl(12), timeoutMs: 1000, writeTimeoutMs: 1000, breaker: { failures: 3, retryMs: 1000 } }, pino({ level: 'silent' }))
t.ok(await redis.open(), 'connected')
t.teardown(async () => { await redis.close() })

const count = async (store: FastifyRateLimitStore, key: string, windowMs = 60_000): Promise<{ current: number, ttl: number }> =>
  await new Promise((resolve, reject) => {
    store.incr(key, (err, result) => { err || !result ? reject(err) : resolve(result) }, windowMs, 5)
  })
const route = (url: string): Parameters<FastifyRateLimitStore['child']>[0] =>
  ({ routeInfo: { method: 'POST', url } }) as unknown as Parameters<FastifyRateLimitStore['child']>[0]

t.test('counts per key, the window starting with the first count', async (t) => {
  const store = new RedisRateLimitStore(redis, 'test-rate-').child(route('/v1/actions/:id/execute'))
  const first = await count(store, 'acme:a')
  t.equal(first.current, 1)
  t.equal(first.ttl, 60_000)
  const second = await count(store, 'acme:a')
  t.equal(second.current, 2)
  t.ok(second.ttl > 0 && second.ttl <= 60_000, 'the same window, not a new one')
  t.equal(await redis.client.get('test-rate-POST/v1/actions/:id/execute-acme:a'), '2', 'under the route\'s own key')
  t.equal((await count(store, 'beta:a')).current, 1, 'each key its own count')
})

t.test('each route counts on its own, and another store on the same Redis sees the same counts', async (t) => {
  const execute = new RedisRateLimitStore(redis, 'test-rate-').child(route('/execute'))
  const stream = new RedisRateLimitStore(redis, 'test-rate-').child(route('/stream'))
  await count(execute, 'acme:b')
  t.equal((await count(stream, 'acme:b')).current, 1)
  t.equal((await count(new RedisRateLimitStore(redis, 'test-rate-').child(route('/execute')), 'acme:b')).current, 2, 'a replica\'s store counts on')
})

t.test('a window that lapsed starts again at 1', async (t) => {
  const store = new RedisRateLimitStore(redis, 'test-rate-').child(route('/short'))
  await count(store, 'acme:c', 50)
  t.equal((await count(store, 'acme:c', 50)).current, 2)
  await sleep(80)
  t.same(await count(store, 'acme:c', 50), { current: 1, ttl: 50 })
})

t.test('a Redis that lost its scripts (restart, SCRIPT FLUSH) gets the script again', async (t) => {
  const store = new RedisRateLimitStore(redis, 'test-rate-').child(route('/flushed'))
  await count(store, 'acme:d')
  await redis.client.scriptFlush()
  t.equal((await count(store, 'acme:d')).current, 2)
  t.equal((await count(store, 'acme:d')).current, 3)
})
