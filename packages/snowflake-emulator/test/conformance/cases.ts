// The conformance case table's runner: each case is Snowflake SQL with the answer Snowflake's documentation gives
// (rows with their column names and types, or an error code), run through the real snowflake-sdk.
import type { Binds, ConnectionOptions, StatementOption } from 'snowflake-sdk'
import type { Test } from 'tap'
import { exec, useEmulator, type DriverError, type Harness, type Row } from '../helper.js'

export interface Case {
  /** The statement whose answer is checked. */
  sql: string
  binds?: Binds
  /** Statements run first, in the same session. */
  setup?: string[]
  /** Expected rows; their keys are the result's column names, in order. */
  rows?: Row[]
  /** Expected column types in order, as the driver reports them (`fixed`, `text`, `date`, `variant`…). */
  types?: string[]
  /** Only these columns of the rows are compared (SHOW and DESCRIBE answer many more). */
  partial?: boolean
  /** Expected Snowflake error code instead of rows. */
  error?: string
  /** Expected error message, when the code alone does not say enough. */
  message?: RegExp
  /** The Snowflake documentation page the answer comes from, under https://docs.snowflake.com/en/. */
  doc?: string
  /** The session's connection options, when not the file's (no warehouse, another user). */
  connection?: Partial<ConnectionOptions>
  /** Knowingly not supported yet: why. The case still runs; tap reports it as a todo instead of a failure. */
  todo?: string
  statement?: Partial<StatementOption>
}

const TEMPORAL = new Set(['date', 'time', 'timestamp_ntz', 'timestamp_ltz', 'timestamp_tz'])

/** The driver renders a NULL date or timestamp fetched as a string as the text 'NULL'. */
function withNulls (row: Row, columns: Array<{ getName: () => string, getType: () => string }>): Row {
  const out: Row = { ...row }
  for (const col of columns) if (TEMPORAL.has(col.getType()) && out[col.getName()] === 'NULL') out[col.getName()] = null
  return out
}

/** Runs every case in its own subtest, on a fresh session that starts in the file's fixture database. */
export function runCases (t: Test, title: string, cases: Case[], fixture: string[] = []): Harness {
  const h = useEmulator(t)
  const connection = { database: 'CONFORMANCE', schema: 'PUBLIC' }
  t.before(async () => {
    const conn = await h.connect({ database: undefined })
    await exec(conn, 'create or replace database CONFORMANCE')
    await exec(conn, 'use database CONFORMANCE')
    for (const sql of fixture) await exec(conn, sql)
  })
  t.test(title, async t => {
    for (const c of cases) {
      await t.test(c.sql, c.todo === undefined ? {} : { todo: c.todo }, async t => {
        const conn = await h.connect({ ...connection, ...c.connection })
        for (const sql of c.setup ?? []) await exec(conn, sql)
        const statement: Partial<StatementOption> = { fetchAsString: ['Date'], ...c.statement }
        if (c.error !== undefined) {
          const err = await exec(conn, c.sql, c.binds, statement).then(() => null, (e: unknown) => e as DriverError)
          t.equal(err?.code === undefined ? undefined : String(err.code), c.error, `fails with ${c.error}: ${err?.message ?? 'it succeeded'}`)
          if (c.message !== undefined) t.match(err?.message, c.message)
          return
        }
        const outcome = await exec(conn, c.sql, c.binds, statement)
        const columns = outcome.stmt.getColumns() ?? []
        const rows = outcome.rows.map(row => withNulls(row, columns))
        const expected = c.rows ?? []
        if (c.partial === true) {
          t.match(rows, expected, 'rows')
        } else {
          if (expected[0] !== undefined) t.same(columns.map(col => col.getName()), Object.keys(expected[0]), 'column names')
          t.same(rows, expected, 'rows')
        }
        if (c.types !== undefined) t.same(columns.map(col => col.getType()), c.types, 'column types')
      })
    }
  })
  return h
}
