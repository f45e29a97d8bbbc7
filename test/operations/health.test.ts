import t from 'tap'
import { emulator, gateway, waitFor } from '../helper.js'
import { freePort, startRedis, stopRedis } from '../redis.js'

interface Check { status: string, latencyMs: number, checkedAt: string, error?: string, store?: string }
interface Report { status: string, shuttingDown: boolean, checks: { actions: { status: string, count: number }, snowflake: Check, cache: Check } }

const ready = async (get: (path: string) => Promise<Response>): Promise<{ code: number, report: Report }> => {
  const res = await get('/health/ready')
  return { code: res.status, report: await res.json() as Report }
}

t.test('ready with every dependency answering; the Snowflake probe is reused for a few seconds', async (t) => {
  const warehouse = await emulator(t)
  const gw = await gateway(t, warehouse)
  const first = await ready(gw.get)
  t.equal(first.code, 200)
  t.match(first.report, {
    status: 'ready',
    shuttingDown: false,
    checks: { actions: { status: 'ok', count: Number }, snowflake: { status: 'ok', latencyMs: Number, checkedAt: String }, cache: { status: 'ok', store: 'memory' } }
  })
  t.ok(first.report.checks.actions.count > 0)
  const probes = (): number => warehouse.controls.queryLog().filter((q) => q.queryTag === 'gateway:health').length
  t.equal(probes(), 1, 'one SELECT 1 reached the warehouse')
  const second = await ready(gw.get)
  t.equal(second.report.checks.snowflake.checkedAt, first.report.checks.snowflake.checkedAt, 'the same probe result')
  t.equal(probes(), 1, 'no second SELECT 1 within HEALTH_CACHE_MS')
  t.equal((await gw.get('/health/live')).status, 200)
})

t.test('Redis stopping leaves the gateway ready (the cache fails open) and says so in the report', async (t) => {
  const port = await freePort()
  let redis = await startRedis(port)
  t.teardown(async () => await stopRedis(redis))
  const warehouse = await emulator(t)
  const gw = await gateway(t, warehouse, { REDIS_URL: `redis://127.0.0.1:${port}/7` })
  await waitFor(async () => (await ready(gw.get)).report.checks.cache.status === 'ok', 10_000, 100)
  const up = await ready(gw.get)
  t.equal(up.code, 200)
  t.equal(up.report.checks.cache.store, 'redis')

  // Every replica shares the one Redis: were its loss to fail readiness, a balancer would take them all out.
  await stopRedis(redis)
  const down = await ready(gw.get)
  t.equal(down.code, 200, 'still ready')
  t.match(down.report, { status: 'ready', checks: { cache: { status: 'failed', store: 'redis', error: String }, snowflake: { status: 'ok' } } })
  const served = await gw.post('/v1/actions/cached-customers/execute', {})
  t.equal(served.status, 200, 'requests are still served from the warehouse')

  redis = await startRedis(port)
  await waitFor(async () => (await ready(gw.get)).report.checks.cache.status === 'ok', 10_000, 100)
  const back = await ready(gw.get)
  t.equal(back.code, 200)
  t.equal(back.report.checks.cache.status, 'ok')
})

t.test('the warehouse going away makes the gateway not ready within the probe timeout', async (t) => {
  const warehouse = await emulator(t)
  const gw = await gateway(t, warehouse, { HEALTH_CACHE_MS: '0', HEALTH_TIMEOUT_MS: '1000' })
  t.equal((await ready(gw.get)).code, 200)
  await warehouse.close()
  const started = Date.now()
  const down = await ready(gw.get)
  t.ok(Date.now() - started < 3000, 'answered within the timeout, not the driver\'s retries')
  t.equal(down.code, 503)
  t.match(down.report, { status: 'not_ready', checks: { snowflake: { status: 'failed', error: String }, cache: { status: 'ok' } } })
})
