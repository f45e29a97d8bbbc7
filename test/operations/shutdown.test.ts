import t from 'tap'
import { emulator, gateway, waitFor } from '../helper.js'

const warehouse = await emulator(t)
const slow = /CUSTOMER_ID <= \?/

const executeAll = (url: string, count: number): Array<Promise<{ status: number, error?: string }>> =>
  Array.from({ length: count }, async (_, i) => {
    // Distinct variables: one statement each, none shared through the single flight.
    const res = await fetch(`${url}/v1/actions/customers-paged/execute`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ variables: { lastId: `C${String(i + 1).padStart(6, '0')}` } })
    })
    const body = await res.json() as { error?: string }
    return { status: res.status, error: body.error }
  })

const refused = async (url: string): Promise<boolean> => {
  try {
    await fetch(`${url}/health/live`, { headers: { connection: 'close' } })
    return false
  } catch (err) {
    return /ECONNREFUSED/.test(String((err as Error & { cause?: unknown }).cause))
  }
}

t.test('100 requests in flight at shutdown all finish; readiness fails at once; new connections are refused', async (t) => {
  const gw = await gateway(t, warehouse, { SNOWFLAKE_POOL_MAX: '50', SHUTDOWN_DELAY_MS: '300', SHUTDOWN_GRACE_MS: '30000' })
  const { app } = gw.service
  warehouse.controls.injectFault({ match: slow, latencyMs: 300 })
  t.teardown(() => warehouse.controls.clearFaults())
  let received = 0
  app.server.on('request', () => { received++ })
  const answers = executeAll(gw.url, 100)
  await waitFor(() => received === 100, 10_000, 10)
  t.equal(received, 100, 'all 100 were received')
  t.ok(app.drain.inFlight > 0, `${app.drain.inFlight} in flight`)

  const closing = gw.service.close()
  const ready = await gw.get('/health/ready')
  t.equal(ready.status, 503, 'readiness fails as soon as the shutdown begins')
  t.match(await ready.json(), { status: 'not_ready', shuttingDown: true })
  t.same((await app.readiness.check()).status, 'not_ready')

  await new Promise((resolve) => setTimeout(resolve, 400))
  t.ok(await refused(gw.url), 'new connections are refused once the server closed')
  t.ok(app.drain.inFlight > 0, 'while requests are still running')

  const results = await Promise.all(answers)
  t.same(results.filter((r) => r.status !== 200), [], 'none lost')
  t.equal(results.length, 100)
  await closing
})

t.test('what outlives the grace period is cancelled: 503 SHUTTING_DOWN, its statements cancelled', async (t) => {
  const gw = await gateway(t, warehouse, { SNOWFLAKE_POOL_MAX: '10', SHUTDOWN_GRACE_MS: '300' })
  const { app } = gw.service
  warehouse.controls.injectFault({ match: slow, latencyMs: 5000 })
  t.teardown(() => warehouse.controls.clearFaults())
  const before = warehouse.controls.queryLog().length
  const answers = executeAll(gw.url, 5)
  await waitFor(() => app.drain.inFlight === 5 && warehouse.controls.stats().runningQueries >= 5, 10_000, 10)

  const started = Date.now()
  await gw.service.close()
  const took = Date.now() - started
  t.ok(took < 3000, `closed in ${took} ms, not after the 5 s statements`)
  const results = await Promise.all(answers)
  t.same(results.map((r) => `${r.status} ${r.error ?? ''}`), Array(5).fill('503 SHUTTING_DOWN'))
  await waitFor(() => warehouse.controls.stats().runningQueries === 0, 2000)
  t.equal(warehouse.controls.stats().runningQueries, 0, 'the statements were cancelled in Snowflake')
  const aborted = warehouse.controls.queryLog().slice(before).filter((q) => q.queryTag === 'customers-paged:1' && q.status === 'ABORTED')
  t.equal(aborted.length, 5, 'each of the five was aborted, not left to finish')
})
