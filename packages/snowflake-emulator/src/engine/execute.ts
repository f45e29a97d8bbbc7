// Runs one translated statement on its own DuckDB connection and shapes the Snowflake result.
import { setTimeout as sleep } from 'node:timers/promises'
import type { DuckDBConnection, DuckDBType, DuckDBValue } from '@duckdb/node-api'
import { SnowflakeError, type Binding, type Column, type QueryHistory, type StatementContext, type StatementResult } from './contract.js'
import { convertBindings, type BoundRow } from './binds.js'
import { describeColumn, fixedColumn, rowExpression, textColumn, type ColumnSource } from './columns.js'
import { temporaryCatalog, type Database } from './database.js'
import { bindMismatch, noWarehouse, statementCount } from './errors.js'
import { materializeHistory } from './history.js'
import { identifierName } from './lexer.js'
import { makeResult, rowsResult, TextSegments } from './result.js'
import { describeQuery, explainQuery, showQuery, type MetadataQuery } from './metadata.js'
import { HISTORY_TABLE, translate, type Translation } from './translate.js'
import { setVariables, unsetVariables } from './variables.js'
import { describeInsertAll, insertAll, insertOverwrite } from './multi-insert.js'

export const STATEMENT_TYPE = {
  select: 0x1000,
  insert: 0x3100,
  update: 0x3200,
  delete: 0x3300,
  merge: 0x3400,
  ddl: 0x6000
} as const

type DmlKind = 'insert' | 'update' | 'delete' | 'merge'

const TEMPORARY_WORDS = new Set(['TEMPORARY', 'TEMP', 'VOLATILE'])
const SEGMENT_ROWS = 8192
const RESULT_TABLE = '__SF_RESULT'
const OK = 'Statement executed successfully.'

function status (message: string): StatementResult {
  return rowsResult([textColumn('status')], STATEMENT_TYPE.ddl, [[message]])
}

const hasWarehouse = (ctx: StatementContext): boolean => ctx.warehouse !== null && ctx.warehouse.trim() !== ''

/** Splits `db.schema.table AS x …` (getTableNames output) into its name parts (matched case-insensitively later). */
function tableParts (ref: string): string[] {
  const name = /^(?:"(?:[^"]|"")*"|[^\s."]+)(?:\.(?:"(?:[^"]|"")*"|[^\s."]+))*/.exec(ref.trim())?.[0] ?? ''
  return (name.match(/"(?:[^"]|"")*"|[^.]+/g) ?? []).map(identifierName)
}

export class StatementRunner {
  constructor (private readonly db: Database, private readonly history: QueryHistory) {}

  async run (conn: DuckDBConnection, sqlText: string, bindings: Record<string, Binding> | null, ctx: StatementContext): Promise<StatementResult> {
    const tr = translate(sqlText, { ...ctx, dateColumns: await this.dateColumns(conn, sqlText), temporaryCatalog: temporaryCatalog(ctx.sessionId) })
    const semis = tr.words.slice(0, tr.words.length - trailingSemis(tr.words)).filter(w => w === ';').length
    if (semis > 0) throw statementCount(semis + 1)
    if (tr.sql.trim() === '') throw new SnowflakeError('000900', '42000', 'SQL compilation error:\nEmpty SQL statement.')
    const bound = convertBindings(bindings)
    if (bound.count < tr.paramCount) throw bindMismatch(tr.paramCount, bound.count)
    const rows = bound.rows.map(r => ({ values: r.values.slice(0, tr.paramCount), types: r.types.slice(0, tr.paramCount) }))

    // describeOnly: what the statement answers is worked out, nothing it would do is done.
    const describing = ctx.describeOnly === true
    const first = tr.words[0]
    if (first === 'SET' || first === 'UNSET') {
      if (describing) return status(OK)
      if (first === 'SET') await setVariables(conn, sqlText, ctx)
      else unsetVariables(tr.words, ctx)
      return status(OK)
    }
    if (first === 'SHOW') return await this.metadata(conn, showQuery(tr.words, ctx), ctx)
    if (first === 'DESCRIBE' || first === 'DESC') return await this.metadata(conn, describeQuery(tr.words, ctx), ctx)
    if (first === 'EXPLAIN') {
      const explained = translate(sqlText.replace(/^\s*explain(?:\s+using\s+\w+)?\s+/i, ''), ctx)
      return await this.metadata(conn, explainQuery(explained.sql, this.tablesRead(conn, explained.sql)), ctx)
    }
    if (tr.waitMs > 0 && !describing) await sleep(tr.waitMs, undefined, { signal: ctx.signal })

    switch (tr.kind) {
      case 'use': return await this.use(conn, tr)
      case 'noop': return status(OK)
      case 'ddl': return describing ? status(OK) : await this.ddl(conn, tr, rows, ctx)
      case 'insert': case 'update': case 'delete': case 'merge':
        if (!hasWarehouse(ctx)) throw noWarehouse()
        if (tr.kind === 'insert' && (tr.words[1] === 'ALL' || tr.words[1] === 'FIRST' || tr.words[2] === 'ALL' || tr.words[2] === 'FIRST')) {
          return describing ? describeInsertAll(sqlText) : await insertAll(conn, sqlText, ctx)
        }
        if (tr.kind === 'insert' && tr.words[1] === 'OVERWRITE') {
          return await insertOverwrite(conn, tr, async (t) => await this.dml(conn, t, 'insert', rows, ctx), describing)
        }
        return await this.dml(conn, tr, tr.kind, rows, ctx)
      default:
        return await this.query(conn, tr, rows[0] ?? { values: [], types: [] }, ctx)
    }
  }

  /** DATE columns of the catalog, asked for only when the statement has date arithmetic that keeps a DATE a DATE. */
  private async dateColumns (conn: DuckDBConnection, sqlText: string): Promise<Set<string>> {
    if (!/DATEADD|TIMESTAMPADD|ADD_MONTHS|DATE_TRUNC/i.test(sqlText)) return new Set()
    const r = await conn.runAndReadAll("SELECT DISTINCT upper(column_name) FROM duckdb_columns() WHERE data_type = 'DATE'")
    return new Set(r.getRows().map(([name]) => String(name)))
  }

  /** SHOW, DESCRIBE and EXPLAIN answer without a warehouse, with Snowflake's column names. */
  private async metadata (conn: DuckDBConnection, q: MetadataQuery, ctx: StatementContext): Promise<StatementResult> {
    if (q.explains !== undefined) await conn.run(`EXPLAIN ${q.explains}`)
    if (q.exists !== undefined && (await conn.runAndReadAll(q.exists.sql)).getRows().length === 0) {
      throw new SnowflakeError('002003', '02000', `SQL compilation error:\nObject '${q.exists.name}' does not exist or not authorized.`)
    }
    const names = new Set([...q.sql.matchAll(/ AS "([^"]+)"/g)].map(m => m[1] as string))
    const tr: Translation = {
      sql: q.sql, kind: 'query', words: [], paramCount: 0, usesHistory: false, quotedNames: names, selectNames: undefined, waitMs: 0
    }
    return await this.query(conn, tr, { values: [], types: [] }, ctx)
  }

  private async use (conn: DuckDBConnection, tr: Translation): Promise<StatementResult> {
    const [, what, name] = tr.words
    if (what === 'DATABASE' && name !== undefined && await this.db.findDatabase(conn, identifierName(name)) === null) {
      throw new SnowflakeError('002043', '02000', 'SQL compilation error:\nObject does not exist, or operation cannot be performed.')
    }
    return status(OK)
  }

  private async ddl (conn: DuckDBConnection, tr: Translation, rows: BoundRow[], ctx: StatementContext): Promise<StatementResult> {
    const w = tr.words
    const verb = w[0] ?? ''
    let i = 1
    const replace = w[1] === 'OR' && w[2] === 'REPLACE'
    if (replace) i = 3
    while (['TEMPORARY', 'TEMP', 'TRANSIENT', 'LOCAL', 'GLOBAL', 'VOLATILE', 'SECURE', 'MATERIALIZED'].includes(w[i] ?? '')) i++
    const object = w[i] ?? ''
    i++
    let ifClause = false
    while (['IF', 'NOT', 'EXISTS'].includes(w[i] ?? '')) { i++; ifClause = true }
    const nameParts: string[] = []
    for (let k = i; k < w.length; k += 2) {
      nameParts.push(identifierName(w[k] ?? ''))
      if (w[k + 1] !== '.') break
    }
    const name = nameParts[nameParts.length - 1] ?? ''
    const title = object.charAt(0) + object.slice(1).toLowerCase()

    if (object === 'DATABASE' && (verb === 'CREATE' || verb === 'DROP')) {
      if (verb === 'CREATE') {
        const created = await this.db.createDatabase(conn, name, replace)
        if (!created && !ifClause) {
          throw new SnowflakeError('002002', '42710', `SQL compilation error:\nObject '${name}' already exists.`)
        }
        return status(created ? `Database ${name} successfully created.` : `${name} already exists, statement succeeded.`)
      }
      const dropped = await this.db.dropDatabase(conn, name)
      if (!dropped && !ifClause) {
        throw new SnowflakeError('002003', '02000', `SQL compilation error:\nDatabase '${name}' does not exist or not authorized.`)
      }
      return status(`${name} successfully dropped.`)
    }
    if (verb === 'CREATE' && w.includes('AS') && object === 'TABLE' && !hasWarehouse(ctx)) throw noWarehouse()
    // DuckDB knows no TRANSIENT/SECURE/VOLATILE tables or views: drop those words. A DuckDB TEMPORARY table would
    // end with this statement's connection, so a Snowflake temporary table is a table of the session's own catalog,
    // where translate.ts puts it.
    if (verb === 'CREATE' && object === 'TABLE' && w.slice(1, i).some(x => TEMPORARY_WORDS.has(x))) await this.db.ensureTemporary(conn, ctx.sessionId)
    const sql = tr.sql.replace(/^(\s*CREATE\s+(?:OR\s+REPLACE\s+)?)(?:(?:TRANSIENT|SECURE|VOLATILE|LOCAL|GLOBAL|TEMPORARY|TEMP)\s+)+/i, '$1')
    for (const r of rows) await conn.run(sql, r.values, r.types as DuckDBType[])
    if (verb === 'CREATE') return status(`${title} ${name} successfully created.`)
    if (verb === 'DROP') return status(`${name} successfully dropped.`)
    return status(OK)
  }

  private async dml (conn: DuckDBConnection, tr: Translation, kind: DmlKind, rows: BoundRow[], ctx: StatementContext): Promise<StatementResult> {
    if (ctx.describeOnly === true) {
      // Preparing binds the statement, so a missing table or column fails as it would when run; nothing runs.
      (await conn.prepare(kind === 'merge' ? `${tr.sql} RETURNING merge_action` : tr.sql)).destroySync()
      return rowsResult(kind === 'merge' ? mergeActions(tr.words).map(mergeColumn) : [dmlColumn(kind)], STATEMENT_TYPE[kind], [])
    }
    if (kind === 'merge') return await this.merge(conn, tr, rows)
    let total = 0n
    const many = rows.length > 1
    if (many) await conn.run('BEGIN TRANSACTION')
    try {
      if (many) {
        const prepared = await conn.prepare(tr.sql)
        for (const r of rows) {
          prepared.bind(r.values, r.types)
          total += countOf((await prepared.runAndReadAll()).getRows())
        }
        prepared.destroySync()
      } else {
        const r = rows[0] ?? { values: [], types: [] }
        total = countOf((await conn.runAndReadAll(tr.sql, r.values, r.types)).getRows())
      }
      if (many) await conn.run('COMMIT')
    } catch (err) {
      if (many) await conn.run('ROLLBACK').catch(() => undefined)
      throw err
    }
    return rowsResult([dmlColumn(kind)], STATEMENT_TYPE[kind], [[total.toString()]], Number(total) * 64)
  }

  /** MERGE reports inserted, updated and deleted rows separately; RETURNING merge_action tells them apart. */
  private async merge (conn: DuckDBConnection, tr: Translation, rows: BoundRow[]): Promise<StatementResult> {
    const counts = { INSERT: 0, UPDATE: 0, DELETE: 0 }
    for (const r of rows) {
      const result = await conn.runAndReadAll(`${tr.sql} RETURNING merge_action`, r.values, r.types)
      for (const [action] of result.getRows()) {
        if (action === 'INSERT' || action === 'UPDATE' || action === 'DELETE') counts[action]++
      }
    }
    const actions = mergeActions(tr.words)
    const values = actions.map(a => String(counts[a]))
    const total = counts.INSERT + counts.UPDATE + counts.DELETE
    return rowsResult(actions.map(mergeColumn), STATEMENT_TYPE.merge, [values], total * 64)
  }

  private async query (conn: DuckDBConnection, tr: Translation, r: BoundRow, ctx: StatementContext): Promise<StatementResult> {
    const tables = this.tablesRead(conn, tr.sql)
    await this.checkSchemas(conn, tables, ctx)
    if (tables.length > 0 && !hasWarehouse(ctx)) throw noWarehouse()
    if (tr.usesHistory) await materializeHistory(conn, this.history)
    ctx.signal.throwIfAborted()

    const probe = await conn.run(`SELECT * FROM (${tr.sql}) LIMIT 0`, r.values, r.types)
    const names = probe.columnNames()
    const types = probe.columnTypes()
    ctx.signal.throwIfAborted()
    const segments = ctx.describeOnly === true ? new TextSegments() : await this.render(conn, tr, r, types, ctx)

    const sources = await this.sources(conn, tables, names, ctx)
    const written = tr.selectNames?.length === names.length ? tr.selectNames : undefined
    const kinds = tr.selectKinds?.length === names.length ? tr.selectKinds : undefined
    const columns = names.map((n, i) => {
      const column = describeColumn(written?.[i] ?? outputName(n, tr), types[i] as DuckDBType, sources[i] ?? null)
      const kind = kinds?.[i]
      return kind !== undefined && kind !== null && column.type === 'variant' ? { ...column, type: kind } : column
    })
    const bytes = await this.bytesScanned(conn, tables, ctx, segments.chars)
    return makeResult(columns, STATEMENT_TYPE.select, segments, bytes)
  }

  /** The rows' wire JSON, rendered by DuckDB into a temp table and read back in segments of SEGMENT_ROWS rows. */
  private async render (conn: DuckDBConnection, tr: Translation, r: BoundRow, types: DuckDBType[], ctx: StatementContext): Promise<TextSegments> {
    const aliases = types.map((_t, i) => `"C${i}"`)
    await conn.run(`CREATE OR REPLACE TEMP TABLE ${RESULT_TABLE} AS SELECT ${rowExpression(aliases, types)} AS J ` +
      `FROM (${tr.sql}) AS __Q(${aliases.join(', ')})`, r.values, r.types)
    ctx.signal.throwIfAborted()
    const segments = new TextSegments()
    const chunks = await conn.run(`SELECT string_agg(J, '\n' ORDER BY rowid) FROM temp.main.${RESULT_TABLE} ` +
      `GROUP BY rowid // ${SEGMENT_ROWS} ORDER BY rowid // ${SEGMENT_ROWS}`)
    for (;;) {
      const chunk = await chunks.fetchChunk()
      if (chunk === null || chunk.rowCount === 0) break
      const vector = chunk.getColumnVector(0)
      for (let i = 0; i < chunk.rowCount; i++) segments.addNewlineJoined(String(vector.getItem(i)))
    }
    await conn.run(`DROP TABLE temp.main.${RESULT_TABLE}`)
    return segments
  }

  private tablesRead (conn: DuckDBConnection, sql: string): string[][] {
    let refs: readonly string[]
    try {
      // DuckDB finds no tables in a statement with parameters; their values do not matter for the names.
      refs = conn.getTableNames(sql.replace(/\$\d+/g, 'NULL'), true)
    } catch {
      return [] // a parse error: running the statement reports it properly
    }
    return refs.map(tableParts).filter(p => p[p.length - 1]?.toUpperCase() !== HISTORY_TABLE)
  }

  /** A qualified name whose database or schema is missing fails as Snowflake says, not as a missing table. */
  private async checkSchemas (conn: DuckDBConnection, tables: string[][], ctx: StatementContext): Promise<void> {
    for (const parts of tables) {
      if (parts.length < 2) continue
      const [database, schema] = this.qualify(parts, ctx)
      const found = await this.db.findDatabase(conn, database)
      if (found === null) {
        throw new SnowflakeError('002003', '02000', `SQL compilation error:\nDatabase '${database}' does not exist or not authorized.`)
      }
      if (await this.db.findSchema(conn, found, schema) === null && schema.toUpperCase() !== 'INFORMATION_SCHEMA') {
        throw new SnowflakeError('002003', '02000', `SQL compilation error:\nSchema '${database}.${schema}' does not exist or not authorized.`)
      }
    }
  }

  private qualify (parts: string[], ctx: StatementContext): [string, string, string] {
    const table = parts[parts.length - 1] ?? ''
    const schema = parts.length >= 2 ? parts[parts.length - 2] as string : ctx.schema ?? 'PUBLIC'
    const database = parts.length >= 3 ? parts[parts.length - 3] as string : ctx.database ?? ''
    return [database, schema, table]
  }

  /** Source table metadata when the query reads exactly one table and a result column is one of its columns. */
  private async sources (conn: DuckDBConnection, tables: string[][], names: string[], ctx: StatementContext): Promise<Array<ColumnSource | null>> {
    if (tables.length !== 1) return []
    const [database, schema, table] = this.qualify(tables[0] as string[], ctx)
    const r = await conn.runAndReadAll(`SELECT database_name, schema_name, table_name, column_name FROM duckdb_columns()
      WHERE upper(database_name) = upper($1) AND upper(schema_name) = upper($2) AND upper(table_name) = upper($3)`,
    [database, schema, table])
    const byName = new Map<string, ColumnSource>()
    for (const [d, s, t, c] of r.getRows()) {
      byName.set(String(c).toUpperCase(), { database: String(d), schema: String(s), table: String(t) })
    }
    return names.map(n => byName.get(n.toUpperCase()) ?? null)
  }

  /** Rows of the tables read × 8 bytes per column; the result's wire size when nothing better is known. */
  private async bytesScanned (conn: DuckDBConnection, tables: string[][], ctx: StatementContext, resultChars: number): Promise<number> {
    let bytes = 0
    for (const parts of tables) {
      const [database, schema, table] = this.qualify(parts, ctx)
      const r = await conn.runAndReadAll(`SELECT estimated_size * column_count * 8 FROM duckdb_tables()
        WHERE upper(database_name) = upper($1) AND upper(schema_name) = upper($2) AND upper(table_name) = upper($3)`,
      [database, schema, table])
      bytes += Number(r.getRows()[0]?.[0] ?? 0)
    }
    return bytes > 0 ? bytes : resultChars
  }
}

const DML_LABELS = { insert: 'inserted', update: 'updated', delete: 'deleted' } as const

function dmlColumn (kind: Exclude<DmlKind, 'merge'>): Column {
  return fixedColumn(`number of rows ${DML_LABELS[kind]}`)
}

type MergeAction = 'INSERT' | 'UPDATE' | 'DELETE'

/** A MERGE answers one count per kind of WHEN … THEN clause it has, in this order. */
function mergeActions (words: string[]): MergeAction[] {
  const used = new Set(words.map((x, k) => x === 'THEN' ? words[k + 1] : undefined))
  return (['INSERT', 'UPDATE', 'DELETE'] as const).filter(a => used.has(a))
}

const mergeColumn = (action: MergeAction): Column => dmlColumn(action === 'INSERT' ? 'insert' : action === 'UPDATE' ? 'update' : 'delete')

function trailingSemis (words: string[]): number {
  let n = 0
  while (n < words.length && words[words.length - 1 - n] === ';') n++
  return n
}

function countOf (rows: DuckDBValue[][]): bigint {
  const v = rows[0]?.[0]
  return typeof v === 'bigint' ? v : BigInt(Number(v ?? 0))
}

/** Snowflake upper-cases unquoted identifiers; a name the SQL wrote in double quotes keeps its case. */
function outputName (name: string, tr: Translation): string {
  if (tr.quotedNames.has(name)) return name
  // DuckDB renders COUNT(*) as count_star(); Snowflake keeps the text.
  return name.replace(/count_star\(\)/gi, 'COUNT(*)').toUpperCase()
}
