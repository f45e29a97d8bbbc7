// Session variables: SET x = <expr>, SET (a, b) = (<expr>, <expr>), UNSET x. Each value is kept as a typed DuckDB
// literal, which `$x` stands for in later statements (translate.ts).
import type { DuckDBConnection } from '@duckdb/node-api'
import { SnowflakeError, type StatementContext } from './contract.js'
import { identifierName, sqlString } from './lexer.js'
import { translate } from './translate.js'

const SET = /^\s*set\s+(?:\(([^)]*)\)|([A-Za-z_][\w$]*|"(?:[^"]|"")+"))\s*=\s*([\s\S]*?)\s*;?\s*$/i

export async function setVariables (conn: DuckDBConnection, sqlText: string, ctx: StatementContext): Promise<void> {
  const m = SET.exec(sqlText)
  if (m === null) throw new SnowflakeError('001003', '42000', 'SQL compilation error:\nsyntax error line 1 at position 4 unexpected SET.')
  const names = (m[1] ?? m[2] ?? '').split(',').map(n => identifierName(n))
  let values = m[3] ?? ''
  if (m[1] !== undefined) values = values.replace(/^\(([\s\S]*)\)$/, '$1')
  const { sql } = translate(`SELECT ${values}`, ctx)
  const probe = await conn.run(`SELECT * FROM (${sql}) LIMIT 0`)
  const count = probe.columnCount
  if (count !== names.length) {
    throw new SnowflakeError('002020', '42601', `SQL compilation error:\n${names.length} variables were assigned ${count} values`)
  }
  const aliases = names.map((_n, i) => `C${i}`)
  const texts = aliases.map(a => `typeof(${a}), CAST(${a} AS VARCHAR)`).join(', ')
  const row = (await conn.runAndReadAll(`SELECT ${texts} FROM (${sql}) AS __S(${aliases.join(', ')})`)).getRows()[0] ?? []
  const variables = ctx.variables ?? new Map<string, string>()
  names.forEach((name, i) => {
    const type = String(row[2 * i])
    const value = row[2 * i + 1]
    variables.set(name, value === null || value === undefined ? 'NULL' : `CAST(${sqlString(String(value))} AS ${type})`)
  })
}

export function unsetVariables (words: string[], ctx: StatementContext): void {
  for (const w of words.slice(1)) {
    if (w !== '(' && w !== ')' && w !== ',' && w !== ';') ctx.variables?.delete(identifierName(w))
  }
}
