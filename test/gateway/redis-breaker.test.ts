import { createHash } from 'node:crypto'
import { Writable } from 'node:stream'
import t from 'tap'
import { pino } from 'pino'
import { emulator, gateway, waitFor } from '../helper.js'
import { sample } from '../operations/prometheus.js'
import { freePort, startRedis, stopRedis } from '../redis.js'

// A Redis of this file's own, to hang it with SIGSTOP.
const port = await freePort()
const redis = await startRedis(port)
t.teardown(async () => { await stopRedis(redis) })
const hang = (): void => { process.kill(redis.pid as number, 'SIGSTOP') }
const resume = (): void => { process.kill(redis.pid as number, 'SIGCONT') }

const sha256 = (key: string): string => createHash('sha256').update(key).digest('hex')
const keys = { busy: 'busy-tenant-key-0123456789', small: 'small-tenant-key-0123456789' }
const dir = t.testdir({
  'tenants.yaml': `
tenants:
  - name: busy
    rateLimit: { max: 1000, windowSeconds: 60 }
    keys: [{ id: busy, sha256: ${sha256(keys.busy)} }]
  - name: small
    rateLimit: { max: 3, windowSeconds: 60 }
    keys: [{ id: small, sha256: ${sha256(keys.small)} }]
`
})

const lines: Array<{ msg: string }> = []
const logger = pino({ level: 'info' }, new Writable({
  write (chunk: Buffer, _encoding, done) {
    lines.push(JSON.parse(chunk.toString()) as { msg: string })
    done()
  }
}))
const retryMs = 1000
const warehouse = await emulator(t)
const gw = await gateway(t, warehouse, {
  API_KEYS_FILE: `${dir}/tenants.yaml`,
  REDIS_URL: `redis://127.0.0.1:${port}`,
  REDIS_BREAKER_FAILURES: '3',
  REDIS_BREAKER_RETRY_MS: String(retryMs)
}, logger)

const execute = async (key: string, id: string, variables: Record<string, string>): Promise<{ status: number, cache: string | null }> => {
  const res = await gw.post(`/v1/actions/${id}/execute`, { variables }, { authorization: `Bearer ${key}` })
  await res.arrayBuffer()
  return { status: res.status, cache: res.headers.get('x-cache') }
}
const cached = async (): Promise<{ status: number, cache: string | null }> => await execute(keys.busy, 'cached-customers', { lastId: 'C000050' })
const uncached = async (): Promise<{ status: number, cache: string | null }> => await execute(keys.busy, 'lookup-by-text', { customerId: 'C000001' })
const redisMetrics = async (): Promise<{ open: number, timeouts: number, skipped: number }> => {
  const text = await (await gw.get('/metrics')).text()
  return {
    open: sample(text, 'gateway_redis_breaker_open'),
    timeouts: sample(text, 'gateway_redis_timeouts_total'),
    skipped: sample(text, 'gateway_redis_skipped_total')
  }
}

t.test('a hung Redis: the breaker opens, requests stop waiting for it, and it closes when Redis answers again', async (t) => {
  t.match(await cached(), { status: 200, cache: 'MISS' })
  t.match(await cached(), { status: 200, cache: 'HIT' })
  t.equal((await redisMetrics()).open, 0, 'closed while Redis answers')

  hang()
  try {
    // Each request counts its rate limit and reads the cache: three timeouts in a row open the breaker.
    await waitFor(async () => {
      t.match(await cached(), { status: 200, cache: 'BYPASS' }, 'served from the warehouse while Redis hangs')
      return (await redisMetrics()).open === 1
    })
    const before = await redisMetrics()
    const started = performance.now()
    const requests = 30
    for (let i = 0; i < requests / 2; i++) {
      t.match(await cached(), { status: 200, cache: 'BYPASS' })
      t.match(await uncached(), { status: 200 }, 'a rate-limited route counts in this process')
    }
    const elapsed = performance.now() - started
    const after = await redisMetrics()
    const timeouts = after.timeouts - before.timeouts
    // Each request makes at least one Redis call (its count), a cached one two; each is skipped or is a probe.
    t.ok(after.skipped - before.skipped + timeouts >= requests * 1.5, 'every call went through the breaker')
    t.ok(timeouts <= Math.floor(elapsed / retryMs) + 1, `one probe timeout per ${retryMs} ms interval at most (${timeouts} in ${Math.round(elapsed)} ms)`)
    t.equal(after.open, 1, 'still open: every probe timed out')

    const limited: number[] = []
    for (let i = 0; i < 4; i++) limited.push((await execute(keys.small, 'lookup-by-text', { customerId: 'C000001' })).status)
    t.same(limited, [200, 200, 200, 429], 'limits still hold, counted in this process')

    const ready = await gw.get('/health/ready')
    t.equal(ready.status, 503, 'not ready while Redis does not answer')
    const report = await ready.json() as { checks: { cache: { status: string, error: string } } }
    t.match(report.checks.cache, { status: 'failed', error: /circuit breaker is open|no answer within/ })
  } finally {
    resume()
  }

  // The next probe finds Redis again; until then requests go on without it.
  await waitFor(async () => (await cached()).cache === 'HIT', 10 * retryMs)
  t.equal((await redisMetrics()).open, 0, 'closed again')
  t.equal((await gw.get('/health/ready')).status, 200, 'ready again')
  t.equal(lines.filter((line) => line.msg.startsWith('Redis is not answering')).length, 1, 'the opening is logged once')
  t.equal(lines.filter((line) => line.msg.startsWith('Redis answers again')).length, 1, 'and so is the closing')
})
