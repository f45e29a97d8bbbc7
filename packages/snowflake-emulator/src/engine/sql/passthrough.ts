// The statements the parser leaves alone (SHOW, DROP, ALTER, TRUNCATE, CREATE DATABASE/SCHEMA, USE, multi-table
// INSERT, which multi-insert.ts takes apart…) go to DuckDB token by token: words upper-cased, literals in DuckDB's
// form, binds numbered, `$x` replaced by its value, and Snowflake type names after a column name in ALTER/CREATE.
import { sqlString, stringValue, identifierName } from '../lexer.js'
import { TYPES } from '../dialect.js'
import type { Tok } from './parser.js'

export interface PassThroughHooks {
  variable: (name: string) => string
  type: (name: string, params: string[]) => string
  quoted: (name: string) => void
}

export function passThrough (toks: Tok[], hooks: PassThroughHooks): { sql: string, paramCount: number } {
  let out = ''
  let seq = 0
  let max = 0
  const ddl = toks[0]?.up === 'CREATE' || toks[0]?.up === 'ALTER'
  for (let k = 0; k < toks.length; k++) {
    const t = toks[k] as Tok
    const prev = toks[k - 1]
    if (prev !== undefined && t.start > prev.end) out += ' '
    if (t.kind === 'param') {
      const n = t.text === '?' ? ++seq : Number(t.text.slice(1))
      max = Math.max(max, n)
      out += '$' + n
    } else if (t.kind === 'string') out += sqlString(stringValue(t.text))
    else if (t.kind === 'quoted') {
      hooks.quoted(identifierName(t.text))
      out += t.text
    } else if (t.up === '$' && toks[k + 1]?.kind === 'word' && toks[k + 1]?.start === t.end) {
      out += hooks.variable((toks[++k] as Tok).up)
    } else if (t.kind === 'word' && TYPES[t.up] !== undefined && ddl && isTypePosition(toks, k)) {
      const params: string[] = []
      if (toks[k + 1]?.up === '(') {
        let j = k + 2
        for (; j < toks.length && toks[j]?.up !== ')'; j++) if (toks[j]?.up !== ',') params.push((toks[j] as Tok).text)
        k = j
      }
      out += hooks.type(t.up, params)
    } else out += t.up
  }
  return { sql: out, paramCount: max }
}

/** `ADD [COLUMN] c <type>`, `ALTER COLUMN c [SET DATA] TYPE <type>`. */
function isTypePosition (toks: Tok[], k: number): boolean {
  const prev = toks[k - 1]
  const before = toks[k - 2]?.up ?? ''
  if (prev === undefined) return false
  if (prev.up === 'TYPE') return true
  return (prev.kind === 'word' || prev.kind === 'quoted') && ['(', ',', 'COLUMN', 'ADD'].includes(before)
}
