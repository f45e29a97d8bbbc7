import t from 'tap'
import type { HistoryEntry } from 'snowflake-emulator'
import { emulator, gateway, waitFor } from '../helper.js'

const warehouse = await emulator(t)
const gw = await gateway(t, warehouse)

const bySession = 'FROM TABLE(INFORMATION_SCHEMA.QUERY_HISTORY_BY_SESSION()) WHERE QUERY_ID = ?'
const byAccount = 'FROM TABLE(INFORMATION_SCHEMA.QUERY_HISTORY()) WHERE QUERY_ID = ?'
const anyHistory = 'INFORMATION_SCHEMA.QUERY_HISTORY'

const logged = (queryId: string): HistoryEntry | undefined => warehouse.controls.queryLog().find((q) => q.queryId === queryId)

/** The gateway's statements that read the history row of `queryId`, whose SQL has `from` in it. */
const historyReads = (queryId: string, from: string): HistoryEntry[] => warehouse.controls.queryLog()
  .filter((q) => q.queryTag === 'gateway:cost' && q.sqlText.includes(from) && q.bindings?.[1]?.value === queryId)

/** The row Snowflake's query history holds for a statement, as the gateway answers it: from the emulator's own log. */
function expectedCost (entry: HistoryEntry): Record<string, unknown> {
  return {
    queryId: entry.queryId,
    queryTag: entry.queryTag,
    status: entry.status,
    errorCode: entry.errorCode,
    elapsedMs: Math.round(entry.elapsedMs),
    bytesScanned: Math.round(entry.bytesScanned),
    rowsProduced: entry.rowsProduced,
    // The emulator charges a millionth of a credit per elapsed millisecond.
    creditsUsedCloudServices: Math.round(entry.elapsedMs * 1000) / 1e9,
    startTime: entry.startTime.toISOString(),
    endTime: entry.endTime?.toISOString() ?? null
  }
}

t.test('the cost is read on the session that ran the statement, and GET /v1/queries/{id} answers that row', async (t) => {
  const res = await gw.post('/v1/actions/customers-paged/execute', { variables: { lastId: 'C000042' }, page: { size: 5 } })
  t.equal(res.status, 200)
  const { queryId } = await res.json() as { queryId: string }
  const statement = logged(queryId)
  t.match(statement, { queryTag: 'customers-paged:1', status: 'SUCCESS', rowsProduced: 42 }, 'the statement the answer names ran')

  await waitFor(() => historyReads(queryId, anyHistory).some((q) => q.status !== 'RUNNING'))
  const reads = historyReads(queryId, anyHistory)
  t.equal(reads.length, 1, 'one read of its cost')
  t.ok(reads[0]?.sqlText.includes(bySession), 'through QUERY_HISTORY_BY_SESSION()')
  t.equal(reads[0]?.sessionId, statement?.sessionId, 'on the session that ran the statement')
  t.equal(reads[0]?.rowsProduced, 1, 'which found its row')

  // Recorded once the read's row has been taken; until then a GET would look the cost up again.
  await waitFor(() => gw.service.warehouse.costs.get(queryId) !== undefined)
  const answered = await gw.get(`/v1/queries/${queryId}`)
  t.equal(answered.status, 200)
  t.same(await answered.json(), statement && expectedCost(statement), 'the history row of the statement')
  t.same(historyReads(queryId, byAccount), [], 'answered from the recorded row, not looked up in the account\'s history')
})

t.test('an id nobody ran is a 404, a malformed one a 400', async (t) => {
  const unknown = await gw.get('/v1/queries/01b00000-0000-0000-0000-000000000000')
  t.equal(unknown.status, 404)
  t.match(await unknown.json(), { error: 'QUERY_NOT_FOUND' })
  const malformed = await gw.get('/v1/queries/not-a-query-id')
  t.equal(malformed.status, 400)
})

t.test('with callers waiting for a connection, they come before cost tracking; the cost is read on demand', async (t) => {
  const single = await gateway(t, warehouse, { SNOWFLAKE_POOL_MIN: '0', SNOWFLAKE_POOL_MAX: '1' })
  // Three different statements (the same request three times would be one statement, shared), one connection.
  const answers = await Promise.all(['C000011', 'C000012', 'C000013'].map(async (lastId) =>
    await (await single.post('/v1/actions/customers-paged/execute', { variables: { lastId } })).json() as { queryId: string }))
  t.same(answers.map((a) => logged(a.queryId)?.rowsProduced), [11, 12, 13])
  await waitFor(() => single.service.warehouse.connections.stats().every((pool) => pool.borrowed === 0))
  const skipped = answers.filter((a) => historyReads(a.queryId, bySession).length === 0)
  t.ok(skipped.length > 0, 'at least one connection went straight to a waiting caller, its cost unread')
  for (const { queryId } of answers) {
    const res = await single.get(`/v1/queries/${queryId}`)
    t.equal(res.status, 200)
    const statement = logged(queryId)
    t.same(await res.json(), statement && expectedCost(statement), 'the history row of the statement')
  }
  for (const { queryId } of skipped) t.equal(historyReads(queryId, byAccount).length, 1, 'looked up in the account\'s history when asked for')
})
