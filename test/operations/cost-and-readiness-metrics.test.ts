import t from 'tap'
import { emulator, gateway, waitFor } from '../helper.js'
import { sample } from './prometheus.js'

const warehouse = await emulator(t)

t.test('cloud services credits are counted by action, from each statement\'s history row', async (t) => {
  const gw = await gateway(t, warehouse)
  // Slower statements cost more: the emulator charges a millionth of a credit per elapsed millisecond.
  warehouse.controls.injectFault({ match: 'CUSTOMER_ID <= ', latencyMs: 150, times: 2 })
  const queryIds: string[] = []
  for (const lastId of ['C000011', 'C000012']) {
    const res = await gw.post('/v1/actions/customers-paged/execute', { variables: { lastId } })
    t.equal(res.status, 200)
    queryIds.push(((await res.json()) as { queryId: string }).queryId)
  }
  await waitFor(() => queryIds.every((id) => gw.service.warehouse.costs.get(id) !== undefined))
  const credits = queryIds.reduce((sum, id) => sum + (gw.service.warehouse.costs.get(id)?.creditsUsedCloudServices ?? 0), 0)
  t.ok(credits >= 2 * 150e-6, `the statements cost credits (${credits})`)
  const text = await (await gw.get('/metrics')).text()
  const counted = sample(text, 'gateway_snowflake_cloud_services_credits_total', { action: 'customers-paged' })
  t.ok(Math.abs(counted - credits) < 1e-12, `the sum of their history rows (${counted})`)
})

t.test('gateway_ready says what /health/ready says', async (t) => {
  const ready = await gateway(t, warehouse)
  t.equal((await ready.get('/health/ready')).status, 200)
  t.equal(sample(await (await ready.get('/metrics')).text(), 'gateway_ready'), 1)

  // Nothing listens on port 1: the cache never answers PING, which readiness reports but does not fail on.
  const cacheDown = await gateway(t, warehouse, { REDIS_URL: 'redis://127.0.0.1:1' })
  t.equal((await cacheDown.get('/health/ready')).status, 200)
  t.match(await (await cacheDown.get('/metrics')).text(), /^gateway_ready 1$/m)

  // A warehouse that went away does fail it.
  const gone = await emulator(t)
  const warehouseDown = await gateway(t, gone, { HEALTH_CACHE_MS: '0', HEALTH_TIMEOUT_MS: '1000' })
  await gone.close()
  t.equal((await warehouseDown.get('/health/ready')).status, 503)
  t.match(await (await warehouseDown.get('/metrics')).text(), /^gateway_ready 0$/m)
})
