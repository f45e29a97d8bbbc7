import t from 'tap'
import { emulator, gateway, type Gateway } from '../helper.js'

const warehouse = await emulator(t)

async function executeInTurn (gw: Gateway, count: number): Promise<string[]> {
  const queryIds: string[] = []
  for (let n = 1; n <= count; n++) {
    const res = await gw.post('/v1/actions/customers-paged/execute', { variables: { lastId: `C00070${n}` } })
    const answer = await res.json() as { queryId: string }
    if (res.status !== 200) throw new Error(`execute answered ${res.status}: ${JSON.stringify(answer)}`)
    queryIds.push(answer.queryId)
  }
  return queryIds
}

t.test('a connection lent again soon after it came back is lent without a heartbeat', async (t) => {
  const gw = await gateway(t, warehouse, { SNOWFLAKE_POOL_MAX: '1' })
  const before = warehouse.controls.stats().heartbeats
  await executeInTurn(gw, 5)
  t.equal(warehouse.controls.stats().heartbeats - before, 0, 'five executions on one connection, no heartbeat')
  t.equal(gw.service.warehouse.connections.sessionChecks, 0)
})

t.test('one idle past SNOWFLAKE_CHECK_AFTER_IDLE_MS is checked with a heartbeat first', async (t) => {
  const gw = await gateway(t, warehouse, { SNOWFLAKE_POOL_MAX: '1', SNOWFLAKE_CHECK_AFTER_IDLE_MS: '0' })
  const before = warehouse.controls.stats().heartbeats
  await executeInTurn(gw, 3)
  // The first execution opens the connection: only the two that borrow it again check it.
  t.equal(warehouse.controls.stats().heartbeats - before, 2, 'a heartbeat per borrow of a used connection')
  t.equal(gw.service.warehouse.connections.sessionChecks, 2)
})

t.test('a connection whose session is gone is replaced, not lent; its pending costs are read from the account\'s history', async (t) => {
  const gw = await gateway(t, warehouse, { SNOWFLAKE_POOL_MAX: '1', SNOWFLAKE_CHECK_AFTER_IDLE_MS: '0', COST_BATCH_INTERVAL_MS: '600000' })
  const [lost] = await executeInTurn(gw, 1)
  const logins = warehouse.controls.stats().logins
  warehouse.controls.expireSessions({ master: true })
  await executeInTurn(gw, 1)
  t.equal(warehouse.controls.stats().logins - logins, 1, 'a new session was opened for the execution')
  await gw.service.close()
  t.ok(gw.service.warehouse.costs.get(lost ?? ''), 'the cost of the statement on the lost session was recorded')
  t.equal(gw.service.warehouse.costs.statements.QUERY_HISTORY, 1, 'through QUERY_HISTORY()')
})
