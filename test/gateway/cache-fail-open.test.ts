import { Writable } from 'node:stream'
import t from 'tap'
import { createClient } from '@keyv/redis'
import { pino } from 'pino'
import { emulator, gateway, type Gateway } from '../helper.js'
import { sample } from '../operations/prometheus.js'
import { freePort, startRedis, stopRedis } from '../redis.js'

const port = await freePort()
let redis = await startRedis(port)
t.teardown(async () => { await stopRedis(redis) })

const warnings: Array<Record<string, unknown>> = []
const logger = pino({ level: 'warn' }, new Writable({
  write (chunk: Buffer, _encoding, done) {
    warnings.push(JSON.parse(chunk.toString()) as Record<string, unknown>)
    done()
  }
}))
const warehouse = await emulator(t)
// A stopped Redis refuses at once (no offline queue); the long read timeout only keeps a loaded machine's slow
// first GET from reading as a fault.
const gw = await gateway(t, warehouse, { REDIS_URL: `redis://127.0.0.1:${port}`, CACHE_TIMEOUT_MS: '500' }, logger)
const cacheFaults = async (): Promise<number> => sample(await (await gw.get('/metrics')).text(), 'gateway_cache_faults_total', { operation: 'get' })
const statements = (since: number): number =>
  warehouse.controls.queryLog().slice(since).filter((q) => q.queryTag === 'cached-customers:1').length

const execute = async (via: Gateway, lastId: string): Promise<{ status: number, cache: string | null, rows: number }> => {
  const res = await via.post('/v1/actions/cached-customers/execute', { variables: { lastId } })
  const body = await res.json() as { rows?: unknown[] }
  return { status: res.status, cache: res.headers.get('x-cache'), rows: body.rows?.length ?? -1 }
}

t.test('Redis stopped mid-test: requests are served from the warehouse, then the cache comes back by itself', async (t) => {
  t.match(await execute(gw, 'C000010'), { status: 200, cache: 'MISS', rows: 10 })
  t.match(await execute(gw, 'C000010'), { status: 200, cache: 'HIT' })

  await stopRedis(redis)
  const bypassesBefore = gw.service.app.cache.stats.bypasses
  const faultsBefore = await cacheFaults()
  for (let i = 0; i < 3; i++) t.match(await execute(gw, 'C000010'), { status: 200, cache: 'BYPASS', rows: 10 }, 'no 5xx while Redis is down')
  t.equal(gw.service.app.cache.stats.bypasses - bypassesBefore, 3, 'each bypass is counted')
  t.equal(await cacheFaults() - faultsBefore, 3, 'and each failed read raises the cache-fault metric')
  const unavailable = warnings.filter((line) => line.msg === 'result cache unavailable: serving from the warehouse')
  t.equal(unavailable.length, 1, 'the log warns once for the three faults')

  // Without the cache there is no fill lock: the in-process single flight alone keeps this to one statement.
  warehouse.controls.injectFault({ match: /CUSTOMER_ID <= \?/, times: 1, latencyMs: 300 })
  const before = warehouse.controls.queryLog().length
  const answers = await Promise.all(Array.from({ length: 20 }, async () => await execute(gw, 'C000011')))
  t.ok(answers.every((a) => a.status === 200 && a.cache === 'BYPASS' && a.rows === 10))
  t.equal(statements(before), 1, '20 identical calls while Redis is down run one statement')
  const dropped = await gw.service.app.inject({ method: 'DELETE', url: '/v1/actions/cached-customers/cache' })
  t.equal(dropped.statusCode, 503, 'an invalidation that cannot be done says so')
  t.equal(dropped.json<{ error: string }>().error, 'CACHE_UNAVAILABLE')

  redis = await startRedis(port)
  let answer = await execute(gw, 'C000010')
  for (let i = 0; i < 100 && answer.cache === 'BYPASS'; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100))
    answer = await execute(gw, 'C000010')
  }
  t.equal(answer.cache, 'MISS', 'the gateway reconnected: the empty new Redis misses')
  t.match(await execute(gw, 'C000010'), { status: 200, cache: 'HIT' })
})

t.test('garbage under a result key is a bypass, not a crash', async (t) => {
  await execute(gw, 'C000020')
  const client = createClient({ url: `redis://127.0.0.1:${port}` })
  await client.connect()
  const keys = (await client.keys('gw::r:cached-customers:*')).filter((key) => key.split(':').length === 6)
  t.ok(keys.length > 0)
  for (const key of keys) await client.set(key, '{"value":{"queryId":42},"expires":null}')
  await client.quit()
  t.match(await execute(gw, 'C000020'), { status: 200, cache: 'BYPASS', rows: 10 })
})

t.test('a Redis that stops answering: each read gives up after its timeout and the warehouse answers', async (t) => {
  t.match(await execute(gw, 'C000040'), { status: 200, cache: 'MISS' })
  t.match(await execute(gw, 'C000040'), { status: 200, cache: 'HIT' })
  const bypassesBefore = gw.service.app.cache.stats.bypasses
  redis.kill('SIGSTOP')
  try {
    // Without a per-operation timeout these would wait for Redis for ever.
    t.match(await execute(gw, 'C000040'), { status: 200, cache: 'BYPASS', rows: 10 })
    t.match(await execute(gw, 'C000041'), { status: 200, cache: 'BYPASS', rows: 10 })
    t.equal(gw.service.app.cache.stats.bypasses - bypassesBefore, 2)
  } finally {
    redis.kill('SIGCONT')
  }
  let answer = await execute(gw, 'C000040')
  for (let i = 0; i < 100 && answer.cache !== 'HIT'; i++) {
    await new Promise((resolve) => setTimeout(resolve, 50))
    answer = await execute(gw, 'C000040')
  }
  t.equal(answer.cache, 'HIT', 'the answers Redis held back are read late and dropped; the entry is still there')
})

t.test('a gateway started while Redis is down serves from the warehouse', async (t) => {
  const unused = await freePort()
  const started = Date.now()
  const isolated = await gateway(t, warehouse, { REDIS_URL: `redis://127.0.0.1:${unused}` })
  t.ok(Date.now() - started < 5000, 'the start does not wait for Redis')
  t.match(await execute(isolated, 'C000030'), { status: 200, cache: 'BYPASS', rows: 10 })
})
