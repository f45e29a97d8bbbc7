import type { Binds } from 'snowflake-sdk'
import t from 'tap'
import { exec, useEmulator } from './helper.js'

const h = useEmulator(t)

t.test('binds of each driver type arrive as values, not spliced text', async t => {
  const conn = await h.connect()
  const when = new Date('2024-05-06T07:08:09.123Z')
  const { rows } = await exec(conn,
    'select ? as b, ? as i, ? as r, ? as s, ? as n, ?::timestamp_ntz as d, ? as v, :2 + 1 as again',
    // The driver's Bind type omits Date and objects, which it does send (as TEXT and VARIANT).
    [true, 42, 1.5, "it's", null, when, { k: [1, 2] }] as unknown as Binds)
  const row = rows[0]
  t.equal(row?.B, true)
  t.equal(row?.I, 42)
  t.equal(row?.R, 1.5)
  t.equal(row?.S, "it's")
  t.equal(row?.N, null)
  t.equal((row?.D as Date).getTime(), when.getTime())
  t.same(typeof row?.V === 'string' ? JSON.parse(row.V) : row?.V, { k: [1, 2] })
  t.equal(row?.AGAIN, 43)
  const entry = h.emulator.controls.queryLog().at(-1)
  t.match(entry?.bindings, { 1: { type: 'BOOLEAN', value: 'true' }, 2: { type: 'FIXED', value: '42' }, 4: { type: 'TEXT', value: "it's" } })
})

t.test('array binds insert many rows', async t => {
  const conn = await h.connect()
  await exec(conn, 'create or replace table t_binds (id number, name varchar)')
  const { stmt } = await exec(conn, 'insert into t_binds values (?, ?)', [[1, 'a'], [2, 'b'], [3, null]])
  t.equal(stmt.getNumUpdatedRows(), 3)
  const { rows } = await exec(conn, 'select id, name from t_binds order by id')
  t.same(rows, [{ ID: 1, NAME: 'a' }, { ID: 2, NAME: 'b' }, { ID: 3, NAME: null }])
})

t.test('numbers: 2^53+ exact with fetchAsString, decimals, floats', async t => {
  const conn = await h.connect()
  const sql = 'select 9007199254740993::number(38,0) as big, 12345.67::number(10,2) as dec, 1.5e300::float as f, -0.25::float as neg'
  const asString = await exec(conn, sql, undefined, { fetchAsString: ['Number'] })
  t.equal(asString.rows[0]?.BIG, '9007199254740993')
  t.equal(asString.rows[0]?.DEC, '12345.67')
  const asNumber = await exec(conn, sql)
  t.equal(asNumber.rows[0]?.DEC, 12345.67)
  t.equal(asNumber.rows[0]?.F, 1.5e300)
  t.equal(asNumber.rows[0]?.NEG, -0.25)
  const columns = asNumber.stmt.getColumns() ?? []
  t.match(columns.map(c => [c.getName(), c.getType(), c.getScale()]), [['BIG', 'fixed', 0], ['DEC', 'fixed', 2], ['F', 'real'], ['NEG', 'real']])
})

t.test('dates and timestamps (ntz, ltz, tz) round-trip', async t => {
  const conn = await h.connect()
  const { rows } = await exec(conn, `select
    '2024-01-02'::date as d,
    '2024-01-02 03:04:05.123'::timestamp_ntz as ntz,
    '2024-01-02 03:04:05.123+00:00'::timestamp_ltz as ltz,
    '2024-01-02 05:04:05.123+02:00'::timestamp_tz as tz`)
  const row = rows[0] ?? {}
  t.equal((row.D as Date).toISOString(), '2024-01-02T00:00:00.000Z')
  t.equal((row.NTZ as Date).toISOString(), '2024-01-02T03:04:05.123Z')
  t.equal((row.LTZ as Date).toISOString(), '2024-01-02T03:04:05.123Z')
  t.equal((row.TZ as Date).toISOString(), '2024-01-02T03:04:05.123Z')
  t.equal(JSON.parse(JSON.stringify(row.TZ)), '2024-01-02 05:04:05.123 +0200', 'tz keeps its offset')
  t.equal(JSON.parse(JSON.stringify(row.LTZ)), '2024-01-02 03:04:05.123 +0000', 'ltz renders in the session TIMEZONE (echoed)')
  const strings = await exec(conn, "select '2024-01-02'::date as d, null::date as nothing", undefined, { fetchAsString: ['Date'] })
  t.equal(strings.rows[0]?.D, '2024-01-02')
  t.equal(strings.rows[0]?.NOTHING, 'NULL')
})

t.test('variant, object and array', async t => {
  const conn = await h.connect()
  const { rows } = await exec(conn, `select parse_json('{"a":1,"b":[true,null]}') as v,
    object_construct('k', 'v', 'n', 2) as o, array_construct(1, 'two', 3) as arr`)
  const row = rows[0] ?? {}
  t.same(row.V, { a: 1, b: [true, null] })
  t.same(row.O, { k: 'v', n: 2 })
  t.same(row.ARR, [1, 'two', 3])
})

t.test('JS_TREAT_INTEGER_AS_BIGINT is echoed per result', async t => {
  const conn = await h.connect()
  await exec(conn, 'alter session set JS_TREAT_INTEGER_AS_BIGINT = true')
  const { rows } = await exec(conn, 'select 9007199254740993::number(38,0) as big')
  t.equal(String(rows[0]?.BIG), '9007199254740993')
})

t.test('query history is readable through SQL', async t => {
  const conn = await h.connect()
  await exec(conn, "alter session set query_tag = 'history-check'")
  await exec(conn, "select 'remember me'")
  const { rows } = await exec(conn,
    "select query_text, query_tag, execution_status from table(information_schema.query_history()) where query_tag = 'history-check' order by start_time")
  t.ok(rows.some(r => r.QUERY_TEXT === "select 'remember me'" && r.EXECUTION_STATUS === 'SUCCESS'), 'the earlier query is listed with its tag')
})
