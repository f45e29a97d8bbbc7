// Multi-statement requests (MULTI_STATEMENT_COUNT) and describeOnly, through the driver.
// https://docs.snowflake.com/en/developer-guide/node-js/nodejs-driver-execute#executing-a-batch-of-sql-statements-multi-statement-support
import type { Connection } from 'snowflake-sdk'
import t from 'tap'
import { exec, execError, useEmulator, type Row } from './helper.js'

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
