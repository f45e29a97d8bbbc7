import t from 'tap'
import { emulator, gateway } from '../helper.js'
import { sample } from './prometheus.js'

const warehouse = await emulator(t)
const execute = { variables: { lastId: 'C000005' } }

t.test('within its limits the gateway serves', async (t) => {
  const gw = await gateway(t, warehouse, { LOAD_MAX_EVENT_LOOP_DELAY_MS: '1000', LOAD_SAMPLE_INTERVAL_MS: '200' })
  await new Promise((resolve) => setTimeout(resolve, 500))
  t.equal((await gw.post('/v1/actions/customers-paged/execute', execute)).status, 200)
})

t.test('over the heap limit: 503 OVERLOADED with Retry-After, probes and scrapes still answer', async (t) => {
  const gw = await gateway(t, warehouse, { LOAD_MAX_HEAP_USED_BYTES: '1', LOAD_SAMPLE_INTERVAL_MS: '200', LOAD_RETRY_AFTER_SECONDS: '7' })
  const ran = (): number => warehouse.controls.queryLog().filter((q) => q.queryTag === 'customers-paged:1').length
  const before = ran()
  // The first sample lands one interval after the start.
  await new Promise((resolve) => setTimeout(resolve, 500))
  const res = await gw.post('/v1/actions/customers-paged/execute', execute)
  t.equal(res.status, 503)
  t.equal(res.headers.get('retry-after'), '7')
  const body = await res.json() as { requestId: string }
  t.match(body, { status: 'error', error: 'OVERLOADED', message: /heap used \d+ over its limit/, requestId: String })
  t.equal(body.requestId, res.headers.get('x-request-id'))
  t.equal((await gw.get('/v1/actions')).status, 503, 'every API route is shed')
  t.equal((await gw.get('/health/live')).status, 200, 'liveness is exempt')
  t.equal((await gw.get('/health/ready')).status, 200, 'readiness is exempt')
  const metrics = await gw.get('/metrics')
  t.equal(metrics.status, 200, 'metrics are exempt')
  t.equal(sample(await metrics.text(), 'gateway_load_shed_total', { reason: 'heapUsedBytes' }), 2)
  t.equal(ran(), before, 'the shed request never reached the warehouse')
})

t.test('over the event-loop delay limit', async (t) => {
  const gw = await gateway(t, warehouse, { LOAD_MAX_EVENT_LOOP_DELAY_MS: '20', LOAD_SAMPLE_INTERVAL_MS: '500' })
  // Block the loop in 100 ms slices across two sampling intervals, so their mean delay is far over 20 ms.
  for (let i = 0; i < 12; i++) {
    const until = Date.now() + 100
    while (Date.now() < until) { /* busy */ }
    await new Promise((resolve) => setImmediate(resolve))
  }
  const res = await gw.post('/v1/actions/customers-paged/execute', execute)
  t.equal(res.status, 503)
  t.match(await res.json(), { error: 'OVERLOADED', message: /event loop delay \d+ ms over its limit/ })
})
