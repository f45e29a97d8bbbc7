// Multi-statement requests (MULTI_STATEMENT_COUNT) and describeOnly, through the driver.
// https://docs.snowflake.com/en/developer-guide/node-js/nodejs-driver-execute#executing-a-batch-of-sql-statements-multi-statement-support
import type { Connection } from 'snowflake-sdk'
import t from 'tap'
import { exec, execError, useEmulator, type Outcome, type Row } from './helper.js'

const h = useEmulator(t)

/** The driver has these on every statement; its type declarations omit them. */
interface MultiResult { hasNext: () => boolean, NextResult: () => void }

/** Every statement's rows: the driver calls `complete` once per statement while the app asks for NextResult(). */
async function allResults (conn: Connection, sqlText: string, count: number): Promise<Row[][]> {
  return await new Promise((resolve, reject) => {
    const results: Row[][] = []
    conn.execute({
      sqlText,
      parameters: { MULTI_STATEMENT_COUNT: count },
      complete: (err, stmt, rows) => {
        if (err !== undefined && err !== null) return reject(err)
        results.push((rows ?? []) as Row[])
        const multi = stmt as unknown as MultiResult
        if (multi.hasNext()) multi.NextResult()
        else resolve(results)
      }
    })
  })
}

t.test('MULTI_STATEMENT_COUNT = 0 runs each statement and the driver walks their results in order', async t => {
  const conn = await h.connect()
  t.same(await allResults(conn, 'select 1 as a; select 2 as b; select 3 as c', 0), [[{ A: 1 }], [{ B: 2 }], [{ C: 3 }]])
  t.same(await allResults(conn, "select 'x' as s; select 'y' as s", 2), [[{ S: 'x' }], [{ S: 'y' }]])
})

t.test('statements of a multi-statement request share the session', async t => {
  const conn = await h.connect()
  await exec(conn, 'set v = 41; select $v + 1 as r', undefined, { parameters: { MULTI_STATEMENT_COUNT: 2 } })
  const { rows } = await exec(conn, 'select $v as v')
  t.same(rows, [{ V: 41 }])
})

t.test('a count that does not match fails with 000008 and runs nothing', async t => {
  const conn = await h.connect()
  const err = await execError(conn, 'set w = 1; select 2', undefined, { parameters: { MULTI_STATEMENT_COUNT: 3 } })
  t.equal(err.code, '000008')
  t.match(err.message, /Actual statement count 2 did not match the desired statement count 3/)
  t.equal((await execError(conn, 'select $w')).code, '002211', 'the SET did not run')
})

t.test('without MULTI_STATEMENT_COUNT, two statements fail with 000008', async t => {
  const conn = await h.connect()
  t.equal((await execError(conn, 'select 1; select 2')).code, '000008')
})

t.test('describeOnly answers the columns without rows', async t => {
  const conn = await h.connect()
  const { rows, stmt } = await exec(conn, "select 1 as n, 'x' as s", undefined, { describeOnly: true })
  t.same(rows, [])
  t.same(stmt.getColumns()?.map(c => [c.getName(), c.getType()]), [['N', 'fixed'], ['S', 'text']])
})

// describeOnly compiles the statement and answers its result's columns; nothing runs, so nothing changes.
t.test('describeOnly of DML, DDL and SET changes nothing, and answers the columns the statement has when run', async t => {
  const conn = await h.connect()
  await exec(conn, 'create or replace table described (id int, name text)')
  await exec(conn, "insert into described values (1, 'a')")
  const columns = (stmt: Outcome['stmt']): string[] => (stmt.getColumns() ?? []).map(c => `${c.getName()} ${c.getType()}`)
  const contents = async (): Promise<Row[]> => (await exec(conn, 'select id, name from described order by id')).rows
  for (const sqlText of ["insert into described values (2, 'b')", "update described set name = 'z'", 'delete from described where id = 1']) {
    const before = await contents()
    const { rows, stmt } = await exec(conn, sqlText, undefined, { describeOnly: true })
    t.same(rows, [], `${sqlText}: no rows`)
    t.same(await contents(), before, `${sqlText}: nothing changed`)
    t.same(columns(stmt), columns((await exec(conn, sqlText)).stmt), `${sqlText}: the columns it has when run`)
  }
  const described = await exec(conn, 'create table described_too (id int)', undefined, { describeOnly: true })
  t.same(columns(described.stmt), ['status text'])
  await exec(conn, 'set described_var = 5', undefined, { describeOnly: true })
  await exec(conn, 'drop table described', undefined, { describeOnly: true })
  t.same(await contents(), [{ ID: 2, NAME: 'z' }], 'the table is still there')
  t.equal((await execError(conn, 'select * from described_too')).code, '002003', 'the table was not created')
  t.equal((await execError(conn, 'select $described_var')).code, '002211', 'the variable was not set')
})

t.test('describeOnly of MERGE, INSERT ALL and INSERT OVERWRITE answers their count columns and changes nothing', async t => {
  const conn = await h.connect()
  await exec(conn, 'create or replace table merged (id int, name text)')
  await exec(conn, "insert into merged values (1, 'a')")
  const columns = async (sqlText: string): Promise<string[]> =>
    ((await exec(conn, sqlText, undefined, { describeOnly: true })).stmt.getColumns() ?? []).map(c => c.getName())
  t.same(await columns("merge into merged m using (select 1 as id, 'b' as name) s on m.id = s.id " +
    'when matched then update set name = s.name when not matched then insert values (s.id, s.name)'),
  ['number of rows inserted', 'number of rows updated'])
  t.same(await columns("insert all into merged into merged (id) values (id) select 2 as id, 'c' as name"),
    ['number of rows inserted into MERGED', 'number of rows inserted into MERGED'])
  t.same(await columns("insert overwrite into merged values (3, 'd')"), ['number of rows inserted'])
  t.same((await exec(conn, 'select * from merged')).rows, [{ ID: 1, NAME: 'a' }], 'nothing changed')
})

t.test('describeOnly still compiles: a missing table fails as it would when run', async t => {
  const conn = await h.connect()
  for (const sqlText of ['select * from no_such_table', 'insert into no_such_table values (1)', 'delete from no_such_table']) {
    const run = await execError(conn, sqlText)
    const described = await execError(conn, sqlText, undefined, { describeOnly: true })
    t.equal(described.code, run.code, `${sqlText}: ${String(run.code)}`)
  }
})

t.test('describeOnly of SYSTEM$WAIT answers at once', async t => {
  const conn = await h.connect()
  const started = Date.now()
  await exec(conn, "call system$wait(5, 'SECONDS')", undefined, { describeOnly: true })
  t.ok(Date.now() - started < 2000, `answered after ${Date.now() - started} ms`)
})
