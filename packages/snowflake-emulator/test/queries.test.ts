import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import type { QueryStatus } from 'snowflake-sdk'
import t from 'tap'
import { collect, exec, execError, RawClient, useEmulator } from './helper.js'

const h = useEmulator(t, { syncWaitMs: 300 })

t.afterEach(() => h.emulator.controls.clearFaults())

t.test('a query slower than syncWaitMs is answered 333333 and long-polled to its result', async t => {
  h.emulator.controls.injectFault({ match: /slow one/, latencyMs: 1000 })
  const conn = await h.connect()
  const started = Date.now()
  const { rows, stmt } = await exec(conn, "select 'slow one'")
  t.equal(rows.length, 1)
  t.ok(Date.now() - started >= 1000)
  t.match(stmt.getQueryId(), /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)

  const raw = new RawClient(h.emulator.url)
  await raw.login()
  h.emulator.controls.injectFault({ match: /raw slow/, latencyMs: 800 })
  const first = await raw.query("select 'raw slow'", randomUUID())
  t.match(first, { success: true, code: '333333', data: { queryId: String, getResultUrl: /^\/queries\/.+\/result$/ } })
  let final = await raw.get(String(first.data?.getResultUrl))
  let polls = 1
  while (final.code === '333333') {
    final = await raw.get(String(first.data?.getResultUrl))
    polls++
  }
  t.ok(polls >= 2 && polls <= 4, `each poll is held up to syncWaitMs (${polls} polls)`)
  t.match(final, { success: true, code: null, data: { returned: 1, total: 1 } })
})

t.test('asyncExec answers at once; status, then results by query id', async t => {
  h.emulator.controls.injectFault({ match: /async one/, latencyMs: 800 })
  const conn = await h.connect()
  const queryId = await new Promise<string>((resolve, reject) => {
    conn.execute({
      sqlText: "select 'async one'",
      asyncExec: true,
      complete: (err, stmt) => { if (err !== undefined && err !== null) reject(err); else resolve(stmt.getQueryId()) }
    })
  })
  t.equal(await conn.getQueryStatus(queryId), 'RUNNING')
  t.ok(conn.isStillRunning(await conn.getQueryStatus(queryId) as QueryStatus))
  const stmt = await conn.getResultsFromQueryId({ queryId })
  const rows = await collect(stmt)
  t.equal(rows.length, 1)
  t.equal(await conn.getQueryStatus(queryId), 'SUCCESS')
})

t.test('a failed async query reports FAILED_WITH_ERROR and fetchResult gives the real code', async t => {
  h.emulator.controls.injectFault({ match: /async fail/, error: { code: '002003', sqlState: '42S02', message: 'Object does not exist' } })
  const conn = await h.connect()
  const queryId = await new Promise<string>((resolve, reject) => {
    conn.execute({ sqlText: "select 'async fail'", asyncExec: true, complete: (err, stmt) => { if (err !== undefined && err !== null) reject(err); else resolve(stmt.getQueryId()) } })
  })
  await sleep(100)
  t.equal(await conn.getQueryStatus(queryId), 'FAILED_WITH_ERROR')
  const err = await new Promise<{ code?: string }>(resolve => {
    conn.fetchResult({ queryId, complete: (err) => resolve(err as { code?: string }) })
  })
  t.equal(err.code, '002003')
})

t.test('cancel by query id ends the statement with 000604', async t => {
  h.emulator.controls.injectFault({ match: /cancel me/, latencyMs: 10_000 })
  const conn = await h.connect()
  const started = Date.now()
  const outcome = new Promise<{ code?: string, sqlState?: string, message?: string }>(resolve => {
    const stmt = conn.execute({ sqlText: "select 'cancel me'", complete: err => resolve(err as { code?: string }) })
    // By then the driver has the query id from the 333333 answer.
    setTimeout(() => stmt.cancel(), 700)
  })
  t.match(await outcome, { code: '000604', sqlState: '57014', message: 'SQL execution canceled' })
  t.ok(Date.now() - started < 5000, 'did not wait for the query')
  t.match(h.emulator.controls.queryLog().at(-1), { sqlText: "select 'cancel me'", status: 'ABORTED', errorCode: '000604' })
})

t.test('cancel by request id (before the query id is known)', async t => {
  h.emulator.controls.injectFault({ match: /cancel early/, latencyMs: 10_000 })
  const conn = await h.connect()
  const outcome = new Promise<{ code?: string }>(resolve => {
    const stmt = conn.execute({ sqlText: "select 'cancel early'", complete: err => resolve(err as { code?: string }) })
    setTimeout(() => stmt.cancel(), 50)
  })
  t.match(await outcome, { code: '000604' })
})

t.test('cancelling a finished query answers 000605', async t => {
  const raw = new RawClient(h.emulator.url)
  await raw.login()
  const done = await raw.query('select 1', randomUUID())
  const queryId = String(done.data?.queryId)
  t.match(await raw.post(`/queries/${queryId}/abort-request`, {}), { success: false, code: '000605' })
})

t.test('STATEMENT_TIMEOUT_IN_SECONDS from statement parameters and from the session', async t => {
  h.emulator.controls.injectFault({ match: /too slow/, latencyMs: 10_000 })
  const conn = await h.connect()
  const err = await execError(conn, "select 'too slow'", undefined, { parameters: { STATEMENT_TIMEOUT_IN_SECONDS: 1 } })
  t.equal(err.code, '000630')
  t.equal(err.sqlState, '57014')
  t.equal(err.message, 'Statement reached its statement or warehouse timeout of 1 second(s) and was canceled.')

  await exec(conn, 'alter session set STATEMENT_TIMEOUT_IN_SECONDS = 1')
  const again = await execError(conn, "select 'too slow'")
  t.equal(again.code, '000630')
  t.match(h.emulator.controls.queryLog().at(-1), { status: 'FAILED_WITH_ERROR', errorCode: '000630' })
})

t.test('the same requestId is one query: a re-send joins it instead of running it again', async t => {
  const raw = new RawClient(h.emulator.url)
  await raw.login()
  const requestId = randomUUID()
  const before = h.emulator.controls.queryLog().length
  const a = await raw.query("select 'once'", requestId)
  const b = await raw.query("select 'once'", requestId)
  t.equal(a.data?.queryId, b.data?.queryId)
  t.equal(h.emulator.controls.queryLog().length, before + 1)
  const c = await raw.query("select 'once'", randomUUID())
  t.not(c.data?.queryId, a.data?.queryId, 'a new requestId is a new query')
})

t.test('a failed request runs again when re-sent', async t => {
  h.emulator.controls.injectFault({ match: /flaky/, error: { code: '000603', sqlState: 'XX000', message: 'transient' } })
  const raw = new RawClient(h.emulator.url)
  await raw.login()
  const requestId = randomUUID()
  t.match(await raw.query("select 'flaky'", requestId), { success: false, code: '000603', data: { sqlState: 'XX000', queryId: String } })
  t.match(await raw.query("select 'flaky'", requestId), { success: true })
})

t.test('results are served again by query id', async t => {
  const raw = new RawClient(h.emulator.url)
  await raw.login()
  const first = await raw.query("select 'keep me'", randomUUID())
  const again = await raw.get(`/queries/${String(first.data?.queryId)}/result`)
  t.same(again.data?.rowset, first.data?.rowset)
  t.match(await raw.get(`/queries/${randomUUID()}/result`), { success: false, code: '000709' })
  t.match(await raw.get(`/monitoring/queries/${randomUUID()}`), { success: true, data: { queries: [] } })
})
