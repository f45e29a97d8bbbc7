import t from 'tap'
import { createClient } from '@keyv/redis'
import { emulator, gateway, type Gateway } from '../helper.js'
import { freePort, startRedis, stopRedis } from '../redis.js'

const port = await freePort()
let redis = await startRedis(port)
t.teardown(async () => { await stopRedis(redis) })

const warehouse = await emulator(t)
const gw = await gateway(t, warehouse, { REDIS_URL: `redis://127.0.0.1:${port}` })

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
  for (let i = 0; i < 3; i++) t.match(await execute(gw, 'C000010'), { status: 200, cache: 'BYPASS', rows: 10 }, 'no 5xx while Redis is down')
  t.equal(gw.service.app.cache.stats.bypasses - bypassesBefore, 3, 'each bypass is counted')
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
