// INSERT [OVERWRITE] ALL | FIRST: each INTO clause becomes an INSERT … SELECT over the source query, filtered by
// its WHEN condition; INSERT OVERWRITE empties the table first. All in one transaction.
import type { DuckDBConnection } from '@duckdb/node-api'
import { SnowflakeError, type Column, type StatementContext, type StatementResult } from './contract.js'
import { fixedColumn } from './columns.js'
import { identifierName, isTrivia, tokenize, type Token } from './lexer.js'
import { rowsResult } from './result.js'
import { translate, type Translation } from './translate.js'

const MULTI_TABLE_INSERT = 0x3500

interface Into { condition: string | null, table: string, columns: string, values: string | null }

/** The text of the significant tokens [a, b) of `toks`. */
function text (toks: Token[], sig: number[], a: number, b: number): string {
  if (a >= b) return ''
  return toks.slice(sig[a], (sig[b - 1] as number) + 1).map(t => t.text).join('')
}

function parse (sqlText: string): { overwrite: boolean, first: boolean, intos: Into[], source: string } {
  const toks = tokenize(sqlText)
  const sig: number[] = []
  toks.forEach((t, i) => { if (!isTrivia(t)) sig.push(i) })
  const word = (k: number): string => {
    const t = toks[sig[k] as number]
    return t === undefined ? '' : t.kind === 'word' ? t.text.toUpperCase() : t.text
  }
  const closeOf = (k: number): number => {
    let depth = 0
    for (let j = k; j < sig.length; j++) {
      if (word(j) === '(') depth++
      else if (word(j) === ')' && --depth === 0) return j
    }
    return sig.length
  }
  let k = 1
  const overwrite = word(k) === 'OVERWRITE'
  if (overwrite) k++
  const first = word(k) === 'FIRST'
  k++
  const intos: Into[] = []
  let condition: string | null = null
  while (k < sig.length) {
    const w = word(k)
    if (w === 'WHEN') {
      const then = (() => { let j = k + 1; let depth = 0; for (; j < sig.length; j++) { if (word(j) === '(') depth++; else if (word(j) === ')') depth--; else if (depth === 0 && word(j) === 'THEN') break } return j })()
      condition = text(toks, sig, k + 1, then)
      k = then + 1
    } else if (w === 'ELSE') {
      condition = 'ELSE'
      k++
    } else if (w === 'INTO') {
      let j = k + 1
      const start = j
      while (word(j + 1) === '.') j += 2
      const table = text(toks, sig, start, j + 1)
      j++
      let columns = ''
      if (word(j) === '(') { const c = closeOf(j); columns = text(toks, sig, j, c + 1); j = c + 1 }
      let values: string | null = null
      if (word(j) === 'VALUES' && word(j + 1) === '(') { const c = closeOf(j + 1); values = text(toks, sig, j + 2, c); j = c + 1 }
      intos.push({ condition, table, columns, values })
      k = j
    } else break
  }
  return { overwrite, first, intos, source: text(toks, sig, k, sig.length).replace(/;\s*$/, '') }
}

function parsed (sqlText: string): ReturnType<typeof parse> {
  const p = parse(sqlText)
  if (p.intos.length === 0 || p.source === '') {
    throw new SnowflakeError('001003', '42000', 'SQL compilation error:\nsyntax error: a multi-table INSERT needs INTO clauses and a subquery.')
  }
  return p
}

const tableName = (into: { table: string }): string => identifierName(into.table.split('.').pop() ?? '')
const insertedInto = (table: string): Column => fixedColumn(`number of rows inserted into ${table}`)

/** describeOnly: the columns a multi-table INSERT answers, one per INTO clause; nothing runs. */
export function describeInsertAll (sqlText: string): StatementResult {
  return rowsResult(parsed(sqlText).intos.map(i => insertedInto(tableName(i))), MULTI_TABLE_INSERT, [])
}

export async function insertAll (conn: DuckDBConnection, sqlText: string, ctx: StatementContext): Promise<StatementResult> {
  const p = parsed(sqlText)
  const source = translate(p.source, ctx).sql
  const expr = (s: string): string => translate(`SELECT ${s}`, ctx).sql.replace(/^SELECT /, '')
  const conditions = p.intos.map(i => i.condition).filter((c): c is string => c !== null && c !== 'ELSE')
  const counts: Array<[string, bigint]> = []
  await conn.run('BEGIN TRANSACTION')
  try {
    if (p.overwrite) for (const table of new Set(p.intos.map(i => i.table))) await conn.run(`DELETE FROM ${translate(table, ctx).sql}`)
    const earlier: string[] = []
    let lastCondition: string | null = null
    for (const into of p.intos) {
      let where = 'true'
      if (into.condition === 'ELSE') where = conditions.length === 0 ? 'true' : `NOT coalesce((${conditions.map(expr).join(') OR (')}), false)`
      else if (into.condition !== null) {
        where = `coalesce(${expr(into.condition)}, false)`
        if (p.first && into.condition !== lastCondition) {
          if (earlier.length > 0) where += ` AND NOT coalesce((${earlier.join(') OR (')}), false)`
          earlier.push(expr(into.condition))
        }
      }
      lastCondition = into.condition
      const select = into.values === null ? '*' : expr(into.values)
      const table = translate(into.table, ctx).sql
      const r = await conn.runAndReadAll(`INSERT INTO ${table} ${into.columns === '' ? '' : expr(into.columns)} SELECT ${select} FROM (${source}) AS __SRC WHERE ${where}`)
      const n = r.getRows()[0]?.[0]
      counts.push([tableName(into), typeof n === 'bigint' ? n : BigInt(Number(n ?? 0))])
    }
    await conn.run('COMMIT')
  } catch (err) {
    await conn.run('ROLLBACK').catch(() => undefined)
    throw err
  }
  const total = counts.reduce((a, [, n]) => a + Number(n), 0)
  return rowsResult(counts.map(([t]) => insertedInto(t)), MULTI_TABLE_INSERT,
    [counts.map(([, n]) => n.toString())], total * 64)
}

/** INSERT OVERWRITE INTO t …: the table is emptied, then the insert runs, in one transaction (neither for describeOnly). */
export async function insertOverwrite (conn: DuckDBConnection, tr: Translation,
  insert: (t: Translation) => Promise<StatementResult>, describeOnly: boolean): Promise<StatementResult> {
  const sql = tr.sql.replace(/^\s*INSERT\s+OVERWRITE\s+/i, 'INSERT ')
  const table = /^INSERT\s+INTO\s+((?:"(?:[^"]|"")*"|[^\s(]+))/i.exec(sql)?.[1]
  if (table === undefined) throw new SnowflakeError('001003', '42000', 'SQL compilation error:\nsyntax error in INSERT OVERWRITE.')
  if (describeOnly) return await insert({ ...tr, sql })
  await conn.run('BEGIN TRANSACTION')
  try {
    await conn.run(`DELETE FROM ${table}`)
    const result = await insert({ ...tr, sql })
    await conn.run('COMMIT')
    return result
  } catch (err) {
    await conn.run('ROLLBACK').catch(() => undefined)
    throw err
  }
}
