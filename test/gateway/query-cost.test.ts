import t from 'tap'
import type { HistoryEntry } from 'snowflake-emulator'
import { emulator, gateway, waitFor, type Gateway } from '../helper.js'

const warehouse = await emulator(t)

const bySession = 'FROM TABLE(INFORMATION_SCHEMA.QUERY_HISTORY_BY_SESSION('
const byAccount = 'FROM TABLE(INFORMATION_SCHEMA.QUERY_HISTORY('

const logged = (queryId: string): HistoryEntry | undefined => warehouse.controls.queryLog().find((q) => q.queryId === queryId)

/** The gateway's statements that read the history rows of any of `queryIds` through `from`. */
const historyReads = (queryIds: string[], from: string): HistoryEntry[] => warehouse.controls.queryLog()
  .filter((q) => q.queryTag === 'gateway:cost' && q.sqlText.includes(from) &&
    Object.values(q.bindings ?? {}).some((binding) => queryIds.includes(String(binding.value))))

const boundIds = (read: HistoryEntry | undefined): string[] => Object.values(read?.bindings ?? {}).map((binding) => String(binding.value))

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

/** Distinct statements (one request per last id: the same request twice would share one statement). */
async function execute (gw: Gateway, lastIds: number[]): Promise<string[]> {
  return await Promise.all(lastIds.map(async (n) => {
    const res = await gw.post('/v1/actions/customers-paged/execute', { variables: { lastId: `C${String(n).padStart(6, '0')}` }, page: { size: 2 } })
    const answer = await res.json() as { queryId: string }
    if (res.status !== 200) throw new Error(`execute answered ${res.status}: ${JSON.stringify(answer)}`)
    return answer.queryId
  }))
}

const range = (from: number, count: number): number[] => Array.from({ length: count }, (_, i) => from + i)
const recorded = (gw: Gateway, queryIds: string[]): boolean => queryIds.every((id) => gw.service.warehouse.costs.get(id) !== undefined)

async function metric (gw: Gateway, line: string): Promise<number | undefined> {
  const text = await (await gw.get('/metrics')).text()
  const found = text.split('\n').find((l) => l.startsWith(line + ' '))
  return found === undefined ? undefined : Number(found.slice(line.length + 1))
}

t.test('twenty executions, batches of ten: two history statements on the session, and every cost arrives', async (t) => {
  const gw = await gateway(t, warehouse, { SNOWFLAKE_POOL_MAX: '1', COST_BATCH_SIZE: '10', COST_BATCH_INTERVAL_MS: '600000' })
  const queryIds: string[] = []
  for (const n of range(101, 20)) queryIds.push(...await execute(gw, [n]))
  await waitFor(() => recorded(gw, queryIds))

  const reads = historyReads(queryIds, 'QUERY_HISTORY')
  t.equal(reads.length, 2, 'two statements read the twenty costs')
  t.ok(reads.every((read) => read.sqlText.includes(bySession)), 'through QUERY_HISTORY_BY_SESSION()')
  t.same(reads.flatMap(boundIds), queryIds, 'ten ids each, in the order they ran')
  t.same(new Set(reads.map((read) => read.sessionId)), new Set(queryIds.map((id) => logged(id)?.sessionId)), 'on the session that ran them')
  for (const read of reads) {
    const limit = Number(/RESULT_LIMIT => (\d+)/.exec(read.sqlText)?.[1])
    t.ok(limit >= 11 && limit < 100, `RESULT_LIMIT ${limit} reaches the ten statements and the read itself, not the default 100`)
  }

  for (const queryId of queryIds) {
    const answered = await gw.get(`/v1/queries/${queryId}`)
    t.equal(answered.status, 200)
    const statement = logged(queryId)
    t.same(await answered.json(), statement && expectedCost(statement), 'the history row of the statement')
  }
  t.same(historyReads(queryIds, byAccount), [], 'answered from the recorded rows, not looked up in the account\'s history')
  t.equal(await metric(gw, 'gateway_cost_history_statements_total{function="QUERY_HISTORY_BY_SESSION"}'), 2)
  t.equal(await metric(gw, 'gateway_cost_history_statements_total{function="QUERY_HISTORY"}'), 0)
  t.equal(await metric(gw, 'gateway_executions_total{action="customers-paged",outcome="ok"}'), 20, 'against twenty executions')
  const rows = queryIds.reduce((sum, id) => sum + (logged(id)?.rowsProduced ?? 0), 0)
  t.equal(await metric(gw, 'gateway_snowflake_rows_produced_total{action="customers-paged"}'), rows, 'the metrics saw every cost')
})

t.test('a batch short of its size is read once its first id has waited COST_BATCH_INTERVAL_MS', async (t) => {
  const gw = await gateway(t, warehouse, { COST_BATCH_SIZE: '50', COST_BATCH_INTERVAL_MS: '300' })
  const queryIds = await execute(gw, [201])
  queryIds.push(...await execute(gw, [202]))
  await waitFor(() => recorded(gw, queryIds))
  const reads = historyReads(queryIds, 'QUERY_HISTORY')
  t.equal(reads.length, 1, 'one statement for both')
  t.ok(reads[0]?.sqlText.includes(bySession), 'on the session, idle in its pool when the batch fell due')
  const ranAt = logged(queryIds[0] as string)?.endTime?.getTime() ?? Infinity
  t.ok((reads[0]?.startTime.getTime() ?? 0) >= ranAt + 250, 'not before the interval')
})

t.test('with one connection and callers waiting for it, no cost is lost and the reads stay few', async (t) => {
  const gw = await gateway(t, warehouse, { SNOWFLAKE_POOL_MAX: '1', COST_BATCH_SIZE: '3', COST_BATCH_INTERVAL_MS: '400' })
  const queryIds = await execute(gw, range(301, 12))
  t.equal(new Set(queryIds).size, 12, 'twelve statements')
  await waitFor(() => recorded(gw, queryIds))
  const reads = historyReads(queryIds, 'QUERY_HISTORY')
  t.ok(reads.length >= 1 && reads.length < 12, `${reads.length} history statements for twelve executions`)
  t.ok(reads.every((read) => read.sqlText.includes(bySession)), 'all on the session')
  t.same(reads.flatMap(boundIds).sort(), [...queryIds].sort(), 'each id read once')
})

t.test('a shutdown reads the costs still pending before the sessions close', async (t) => {
  const gw = await gateway(t, warehouse, { COST_BATCH_SIZE: '1000', COST_BATCH_INTERVAL_MS: '600000' })
  const queryIds = await execute(gw, range(401, 3))
  await new Promise((resolve) => setTimeout(resolve, 100))
  t.same(historyReads(queryIds, 'QUERY_HISTORY'), [], 'nothing read yet: the batch is neither full nor due')
  const costs: string[] = []
  gw.service.warehouse.costs.recorded.on((cost) => costs.push(cost.queryId))
  await gw.service.close()
  t.same(costs.sort(), [...queryIds].sort(), 'every pending cost was recorded')
  t.equal(historyReads(queryIds, bySession).length, 1, 'in one statement on the session')
})

t.test('an id nobody ran is a 404, a malformed one a 400', async (t) => {
  const gw = await gateway(t, warehouse)
  const unknown = await gw.get('/v1/queries/01b00000-0000-0000-0000-000000000000')
  t.equal(unknown.status, 404)
  t.match(await unknown.json(), { error: 'QUERY_NOT_FOUND' })
  const malformed = await gw.get('/v1/queries/not-a-query-id')
  t.equal(malformed.status, 400)
})

t.test('an admin asking for a query another replica ran: looked up in the account\'s history', async (t) => {
  const other = await gateway(t, warehouse)
  const [queryId] = await execute(other, [501]) as [string]
  const gw = await gateway(t, warehouse)
  const res = await gw.get(`/v1/queries/${queryId}`)
  t.equal(res.status, 200, 'demo mode: every caller is an admin')
  const statement = logged(queryId)
  t.same(await res.json(), statement && expectedCost(statement))
  t.equal(historyReads([queryId], byAccount).length, 1, 'through QUERY_HISTORY()')
})
