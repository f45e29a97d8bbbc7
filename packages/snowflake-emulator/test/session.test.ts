import { randomUUID } from 'node:crypto'
import t from 'tap'
import { destroy, exec, execError, RawClient, useEmulator } from './helper.js'

const h = useEmulator(t, { sessionTtlSeconds: 3600 })

function lastQuery (sqlText: string) {
  return h.emulator.controls.queryLog().filter(q => q.sqlText === sqlText).at(-1)
}

t.test('an expired session token is renewed by the driver and the query replayed', async t => {
  const conn = await h.connect()
  await exec(conn, 'select 1')
  const before = h.emulator.controls.stats().renewals
  t.ok(h.emulator.controls.expireSessions() >= 1)
  const { rows } = await exec(conn, "select 'after expiry'")
  t.equal(rows.length, 1)
  t.equal(h.emulator.controls.stats().renewals, before + 1, 'one renewal seen')
  await exec(conn, "select 'and again'")
  t.equal(h.emulator.controls.stats().renewals, before + 1, 'the renewed token is used afterwards')
})

t.test('an expired master token ends the connection', async t => {
  const conn = await h.connect()
  h.emulator.controls.expireSessions({ master: true })
  const err = await execError(conn, 'select 1')
  t.equal(err.code, 407002, 'terminated connection')
  t.notOk(conn.isUp())
})

t.test('only the chosen session expires', async t => {
  const a = await h.connect()
  const b = await h.connect()
  await exec(a, 'select 1')
  const sessionA = lastQuery('select 1')?.sessionId
  t.ok(sessionA)
  const before = h.emulator.controls.stats().renewals
  t.equal(h.emulator.controls.expireSessions({ sessionId: sessionA, master: true }), 1)
  t.equal((await execError(a, 'select 1')).code, 407002)
  await exec(b, 'select 1')
  t.equal(h.emulator.controls.stats().renewals, before)
})

t.test('heartbeat and logout', async t => {
  const conn = await h.connect()
  t.ok(await conn.isValidAsync())
  const sessions = h.emulator.controls.stats().sessions
  await destroy(conn)
  t.equal(h.emulator.controls.stats().sessions, sessions - 1, 'logout closes the session')
})

t.test('query tags: from login, ALTER SESSION and statement parameters', async t => {
  const conn = await h.connect({ queryTag: 'from-login' })
  await exec(conn, "select 'tag1'")
  t.equal(lastQuery("select 'tag1'")?.queryTag, 'from-login')
  // The driver sends a connection's queryTag as a statement parameter on every statement, so the rest
  // runs on a connection without one.
  const plain = await h.connect()
  await exec(plain, "alter session set query_tag = 'it''s altered'")
  await exec(plain, "select 'tag2'")
  t.equal(lastQuery("select 'tag2'")?.queryTag, "it's altered")
  await exec(plain, "select 'tag3'", undefined, { parameters: { QUERY_TAG: 'per-statement' } })
  t.equal(lastQuery("select 'tag3'")?.queryTag, 'per-statement')
  await exec(plain, "select 'tag3 lower'", undefined, { parameters: { query_tag: 'lower-case name' } })
  t.equal(lastQuery("select 'tag3 lower'")?.queryTag, 'lower-case name', 'statement parameter names are case-insensitive')
  await exec(plain, 'alter session unset query_tag')
  await exec(plain, "select 'tag4'")
  t.equal(lastQuery("select 'tag4'")?.queryTag, '')
})

t.test('USE changes the session state the engine and the driver see', async t => {
  const conn = await h.connect()
  const { stmt } = await exec(conn, 'use schema other_schema')
  const state = stmt.getSessionState() as { getCurrentSchema?: () => string } | undefined
  t.equal(state?.getCurrentSchema?.(), 'OTHER_SCHEMA')
  await exec(conn, 'use warehouse "Mixed Case"')
  await exec(conn, 'use role analyst')
  await exec(conn, 'use database db2')
  await exec(conn, "select 'where am i'")
  t.match(lastQuery("select 'where am i'"), { warehouse: 'Mixed Case', role: 'ANALYST', database: 'DB2', schema: 'PUBLIC' })
  const err = await execError(conn, 'alter session set = 1')
  t.equal(err.code, '001003')
  t.equal(err.sqlState, '42000')
})

t.test('session parameters are echoed on results (JS_TREAT_INTEGER_AS_BIGINT, TIMEZONE)', async t => {
  const conn = await h.connect()
  const before = await exec(conn, 'select 1::number(38,0) as one')
  t.equal(typeof before.rows[0]?.ONE, 'number', 'integers are numbers by default')
  await exec(conn, "alter session set timezone = 'Europe/Paris', JS_TREAT_INTEGER_AS_BIGINT = true")
  const { rows, stmt } = await exec(conn, 'select 1::number(38,0) as one')
  t.ok(stmt.getQueryId())
  // snowflake-sdk hands integers out as big-integer objects (wrapping a native bigint), not as `bigint`.
  t.equal(typeof rows[0]?.ONE, 'object', 'the driver reads JS_TREAT_INTEGER_AS_BIGINT from the result')
  t.equal(String(rows[0]?.ONE), '1')

  const raw = new RawClient(h.emulator.url)
  await raw.login()
  await raw.query("alter session set timezone = 'Europe/Paris'", randomUUID())
  const res = await raw.query('select 1', randomUUID())
  const parameters = res.data?.parameters as Array<{ name: string, value: unknown }> | undefined
  t.same(parameters?.find(p => p.name === 'TIMEZONE'), { name: 'TIMEZONE', value: 'Europe/Paris' })
})

t.test('every query, failed ones included, is in the query log', async t => {
  const conn = await h.connect()
  h.emulator.controls.injectFault({ match: /log me/, error: { code: '000603', sqlState: 'XX000', message: 'boom' } })
  await execError(conn, "select 'log me'")
  const entry = lastQuery("select 'log me'")
  t.match(entry, { status: 'FAILED_WITH_ERROR', errorCode: '000603', errorMessage: 'boom', userName: 'ALICE' })
  const viaHttp = await (await fetch(`${h.emulator.url}/__emulator/queries`)).json() as { queries: Array<{ queryId: string }> }
  t.ok(viaHttp.queries.some(q => q.queryId === entry?.queryId))
})
