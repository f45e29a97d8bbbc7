import t, { type Test } from 'tap'
import type { Engine, HistoryEntry } from '../../src/engine/contract.js'
import { createEngine } from '../../src/engine/index.js'
import { run } from './helper.js'

function entry (queryId: string, sessionId: number, over: Partial<HistoryEntry> = {}): HistoryEntry {
  return {
    queryId,
    sqlText: `select '${queryId}'`,
    bindings: null,
    queryTag: 'tag',
    sessionId,
    userName: 'ALICE',
    warehouse: 'WH',
    database: 'DB',
    schema: 'PUBLIC',
    role: 'SYSADMIN',
    startTime: new Date('2024-01-02T03:04:05.000Z'),
    endTime: null,
    elapsedMs: 0,
    rowsProduced: 0,
    bytesScanned: 0,
    status: 'RUNNING',
    errorCode: null,
    errorMessage: null,
    ...over
  }
}

async function engineWithHistory (t: Test, limit?: number): Promise<Engine> {
  const engine = await createEngine(limit === undefined ? {} : { historyLimit: limit })
  t.teardown(() => engine.close())
  return engine
}

t.test('history is bounded and ordered oldest first', async t => {
  const engine = await engineWithHistory(t, 3)
  for (const id of ['a', 'b', 'c', 'd']) engine.history.start(entry(id, 1))
  t.same(engine.history.list().map(e => e.queryId), ['b', 'c', 'd'])
  t.equal(engine.history.get('a'), undefined)
  engine.history.finish('c', { status: 'SUCCESS', endTime: new Date(), elapsedMs: 12, rowsProduced: 4, bytesScanned: 100, errorCode: null, errorMessage: null })
  t.equal(engine.history.get('c')?.status, 'SUCCESS')
  t.equal(engine.history.get('c')?.rowsProduced, 4)
})

t.test('QUERY_HISTORY_BY_SESSION and QUERY_HISTORY answer over SQL with binds', async t => {
  const engine = await engineWithHistory(t)
  engine.history.start(entry('01aa0000-0000-0000-0000-000000000001', 1))
  engine.history.finish('01aa0000-0000-0000-0000-000000000001', {
    status: 'SUCCESS', endTime: new Date('2024-01-02T03:04:05.250Z'), elapsedMs: 250, rowsProduced: 3, bytesScanned: 512, errorCode: null, errorMessage: null
  })
  engine.history.start(entry('01aa0000-0000-0000-0000-000000000002', 1, { startTime: new Date('2024-01-02T03:05:00Z') }))
  engine.history.finish('01aa0000-0000-0000-0000-000000000002', {
    status: 'FAILED_WITH_ERROR', endTime: new Date('2024-01-02T03:05:01Z'), elapsedMs: 1000, rowsProduced: 0, bytesScanned: 0, errorCode: '002003', errorMessage: 'missing'
  })
  engine.history.start(entry('01aa0000-0000-0000-0000-000000000003', 2))

  const mine = await run(engine, 'select query_id, execution_status from table(information_schema.query_history_by_session()) order by start_time',
    null, { sessionId: 1, warehouse: null })
  t.same(mine.all, [['01aa0000-0000-0000-0000-000000000001', 'SUCCESS'], ['01aa0000-0000-0000-0000-000000000002', 'FAILED_WITH_ERROR']])

  const one = await run(engine, 'select * from table(analytics_db.information_schema.query_history()) where query_id = ?',
    { 1: { type: 'TEXT', value: '01aa0000-0000-0000-0000-000000000001' } }, { sessionId: 9 })
  const col = (name: string): string | null | undefined => one.all[0]?.[one.columns.findIndex(c => c.name === name)]
  t.equal(one.rowCount, 1)
  for (const name of ['QUERY_ID', 'QUERY_TEXT', 'QUERY_TAG', 'SESSION_ID', 'USER_NAME', 'WAREHOUSE_NAME', 'DATABASE_NAME',
    'SCHEMA_NAME', 'ROLE_NAME', 'EXECUTION_STATUS', 'ERROR_CODE', 'ERROR_MESSAGE', 'START_TIME', 'END_TIME',
    'TOTAL_ELAPSED_TIME', 'BYTES_SCANNED', 'ROWS_PRODUCED', 'CREDITS_USED_CLOUD_SERVICES']) {
    t.ok(one.columns.some(c => c.name === name), name)
  }
  t.equal(col('TOTAL_ELAPSED_TIME'), '250')
  t.equal(col('BYTES_SCANNED'), '512')
  t.equal(col('ROWS_PRODUCED'), '3')
  t.equal(col('START_TIME'), '1704164645.000000000')
  t.equal(col('END_TIME'), '1704164645.250000000')
  t.equal(col('CREDITS_USED_CLOUD_SERVICES'), '0.00025')
  t.equal(one.columns.find(c => c.name === 'START_TIME')?.type, 'timestamp_ltz')

  const all = await run(engine, 'select count(*) as n from table(information_schema.query_history(result_limit => 2))')
  t.same(all.all, [['2']])
  const running = await run(engine, "select session_id from table(information_schema.query_history()) where execution_status = 'RUNNING'")
  t.same(running.all, [['2']])
})
