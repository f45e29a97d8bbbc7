import t from 'tap'
import { collect, exec, execError, useEmulator, type Row } from './helper.js'
import type { Connection } from 'snowflake-sdk'

// Small chunks so a few thousand rows cross several chunk downloads.
const h = useEmulator(t, { inlineRows: 100, chunkRows: 500 })
const rowsSql = (n: number): string => `select seq4() as id from table(generator(rowcount => ${n}))`

t.afterEach(() => h.emulator.controls.clearFaults())

async function streamAll (conn: Connection, sqlText: string): Promise<Row[]> {
  return await collect(conn.execute({ sqlText, streamResult: true }))
}

t.test('an injected Snowflake error reaches the caller with its code and sqlState', async t => {
  const conn = await h.connect()
  h.emulator.controls.injectFault({ match: /customer/i, times: 2, error: { code: '000606', sqlState: '57P03', message: 'Warehouse is suspended' } })
  const first = await execError(conn, "select 'customer 1'")
  t.match(first, { code: '000606', sqlState: '57P03', message: 'Warehouse is suspended', data: { queryId: String } })
  const second = await execError(conn, "select 'CUSTOMER 2'")
  t.equal(second.code, '000606')
  const third = await exec(conn, "select 'customer 3'")
  t.equal(third.rows.length, 1, 'the fault is used up after `times`')
  const other = await exec(conn, "select 'unrelated'")
  t.equal(other.rows.length, 1)
})

t.test('an error without sqlState: the driver re-fetches by query id and gets the same stored error', async t => {
  const conn = await h.connect()
  const before = h.emulator.controls.queryLog().length
  h.emulator.controls.injectFault({ match: /busy/, times: 1, error: { code: '000610', sqlState: '', message: 'Too many requests' } })
  const err = await execError(conn, "select 'busy'")
  t.equal(err.code, '000610')
  t.equal(h.emulator.controls.queryLog().length, before + 1, 'ran once')
})

t.test('an injected HTTP 503 is retried by the driver with the same requestId', async t => {
  const conn = await h.connect()
  const before = h.emulator.controls.queryLog().length
  h.emulator.controls.injectFault({ match: /five oh three/, times: 1, httpStatus: 503 })
  const { rows } = await exec(conn, "select 'five oh three'")
  t.equal(rows.length, 1)
  t.equal(h.emulator.controls.queryLog().length, before + 1, 'the refused attempt never ran')
})

t.test('an injected HTTP 400 (twice: the driver re-sends once) reaches the caller', async t => {
  const conn = await h.connect()
  h.emulator.controls.injectFault({ match: /four hundred/, times: 2, httpStatus: 400 })
  const err = await execError(conn, "select 'four hundred'")
  t.equal(err.code, 401002)
})

t.test('latency delays matching queries until cleared', async t => {
  const conn = await h.connect()
  h.emulator.controls.injectFault({ match: /lagging/, latencyMs: 400 })
  let started = Date.now()
  await exec(conn, "select 'lagging 1'")
  await exec(conn, "select 'lagging 2'")
  t.ok(Date.now() - started >= 800)
  h.emulator.controls.clearFaults()
  started = Date.now()
  await exec(conn, "select 'lagging 3'")
  t.ok(Date.now() - started < 400)
})

t.test('runningQueries names the statements still running, and forgets them when they finish', async t => {
  const conn = await h.connect()
  h.emulator.controls.injectFault({ match: /dawdling/, latencyMs: 300 })
  const answer = exec(conn, "select 'dawdling'")
  const deadline = Date.now() + 2000
  while (!h.emulator.controls.runningQueries().some(q => q.sqlText.includes('dawdling')) && Date.now() < deadline) {
    await new Promise(resolve => setTimeout(resolve, 10))
  }
  const [running] = h.emulator.controls.runningQueries().filter(q => q.sqlText.includes('dawdling'))
  t.match(running, { queryId: /^[0-9a-f-]{36}$/, sqlText: "select 'dawdling'" })
  await answer
  t.notOk(h.emulator.controls.runningQueries().some(q => q.queryId === running?.queryId), 'gone once answered')
})

t.test('a suspended warehouse fails every query with 000606 until resumed', async t => {
  const conn = await h.connect()
  h.emulator.controls.suspendWarehouse()
  t.match(await execError(conn, 'select 1'), { code: '000606', sqlState: '57P03' })
  h.emulator.controls.resumeWarehouse()
  t.equal((await exec(conn, 'select 1')).rows.length, 1)
})

t.test('a failing chunk download is retried by the driver', async t => {
  const conn = await h.connect()
  h.emulator.controls.failChunks({ times: 1, httpStatus: 503 })
  const rows = await streamAll(conn, rowsSql(2000))
  t.equal(rows.length, 2000)
  t.same(rows.map(r => Number(r.ID)), Array.from({ length: 2000 }, (_, i) => i), 'every row once, in order')
})

t.test('a chunk download that keeps failing ends the stream with an error', async t => {
  const conn = await h.connect()
  h.emulator.controls.failChunks({ times: 100, httpStatus: 404 })
  const err = await streamAll(conn, rowsSql(2000)).then(() => null, (e: unknown) => e as { code?: number })
  t.ok(err, 'the stream failed')
})

t.test('a stalled chunk download delays the stream', async t => {
  const conn = await h.connect()
  h.emulator.controls.stallChunks({ times: 1, ms: 800 })
  const started = Date.now()
  const rows = await streamAll(conn, rowsSql(1000))
  t.equal(rows.length, 1000)
  t.ok(Date.now() - started >= 800)
})

t.test('faults over HTTP under /__emulator', async t => {
  const conn = await h.connect()
  const post = async (path: string, body: unknown): Promise<Response> => await fetch(`${h.emulator.url}/__emulator${path}`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body)
  })
  t.equal((await post('/faults', { match: 'via http', times: 1, error: { code: '000603', sqlState: 'XX000', message: 'injected' } })).status, 200)
  t.match(await execError(conn, "select 'VIA HTTP'"), { code: '000603', message: 'injected' })
  await post('/warehouse/suspend', {})
  t.equal((await execError(conn, 'select 1')).code, '000606')
  t.equal((await fetch(`${h.emulator.url}/__emulator/faults`, { method: 'DELETE' })).status, 200)
  t.equal((await exec(conn, 'select 1')).rows.length, 1, 'DELETE /faults clears everything')
  const expired = await (await post('/sessions/expire', {})).json() as { expired: number }
  t.ok(expired.expired >= 1)
  t.equal((await exec(conn, 'select 1')).rows.length, 1, 'renewed after expiry')
  const stats = await (await fetch(`${h.emulator.url}/__emulator/stats`)).json() as { renewals: number }
  t.ok(stats.renewals >= 1)
  t.equal((await post('/nope', {})).status, 404)
})

t.test('controls are off unless enabled', async t => {
  const { startEmulator } = await import('../src/index.js')
  const plain = await startEmulator({ engine: h.emulator.engine })
  t.teardown(() => plain.close())
  t.equal((await fetch(`${plain.url}/__emulator/stats`)).status, 404)
  t.throws(() => plain.controls.injectFault({ latencyMs: 1 }))
})
