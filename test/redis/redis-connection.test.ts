import t from 'tap'
import { pino } from 'pino'
import { RedisConnection } from '../../src/redis/redis-connection.js'
import { freePort, sharedRedisUrl, startRedis, stopRedis } from '../redis.js'

const timeoutMs = 50
const connect = async (url: string): Promise<RedisConnection> => {
  const redis = new RedisConnection({ url, timeoutMs, writeTimeoutMs: 300, breaker: { failures: 3, retryMs: 1000 } }, pino({ level: 'silent' }))
  t.ok(await redis.open(), 'connected')
  return redis
}

/** Holds the event loop, as a long synchronous task or a GC pause would. */
const block = (ms: number): void => {
  const until = performance.now() + ms
  while (performance.now() < until);
}

t.test('a process too busy to send its commands in time does not take Redis for hung', async (t) => {
  // Database 11 of the machine's Redis belongs to this file.
  const redis = await connect(sharedRedisUrl(11))
  t.teardown(async () => { await redis.close() })
  await redis.client.set('busy-loop', 'answer')
  for (let round = 0; round < 5; round++) {
    // Issued, then the loop is held past the deadline before the client has even written them.
    const calls = Array.from({ length: 16 }, async () => await redis.call(async () => await redis.client.get('busy-loop')))
    block(3 * timeoutMs)
    t.same(await Promise.all(calls), Array(16).fill('answer'), `round ${round + 1}: every answer is taken`)
  }
  t.equal(redis.stats.timeouts, 0, 'no call timed out')
  t.equal(redis.breaker.isOpen, false, 'the breaker stayed closed')
})

t.test('a hung Redis still times out, busy loop or not, and soon', async (t) => {
  const port = await freePort()
  const server = await startRedis(port)
  t.teardown(async () => { await stopRedis(server) })
  const redis = await connect(`redis://127.0.0.1:${port}`)
  t.teardown(async () => {
    process.kill(server.pid as number, 'SIGCONT')
    await redis.close()
  })
  process.kill(server.pid as number, 'SIGSTOP')
  let started = performance.now()
  await t.rejects(redis.call(async () => await redis.client.get('x')), { message: /no answer within 50 ms/ }, 'an idle process: one deadline')
  t.ok(performance.now() - started < timeoutMs * 2.5, `within its deadline (${Math.round(performance.now() - started)} ms)`)
  started = performance.now()
  const late = redis.call(async () => await redis.client.get('x'))
  block(3 * timeoutMs)
  await t.rejects(late, { message: /no answer within 50 ms/ }, 'a busy process: the deadline given again, then the timeout')
  t.ok(performance.now() - started < 3 * timeoutMs + 3 * timeoutMs + 100, `bounded (${Math.round(performance.now() - started)} ms)`)
})
