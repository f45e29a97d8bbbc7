// A small Snowflake SQL tokenizer: sql/parser.ts reads its tokens, so string literals, quoted identifiers and
// comments are never taken apart.

export type TokenKind =
  | 'space' | 'comment' | 'string' | 'quoted' | 'number' | 'word' | 'param' | 'op'

export interface Token {
  kind: TokenKind
  text: string
}

const WORD_START = /[A-Za-z_]/
const WORD_PART = /[A-Za-z0-9_$]/
const DIGIT = /[0-9]/
const TWO_CHAR_OPS = new Set(['::', '=>', '||', '<=', '>=', '<>', '!=', '->'])

export function tokenize (sql: string): Token[] {
  const tokens: Token[] = []
  let i = 0
  const n = sql.length
  while (i < n) {
    const start = i
    const ch = sql[i] as string
    const next = sql[i + 1] ?? ''
    let kind: TokenKind
    if (/\s/.test(ch)) {
      while (i < n && /\s/.test(sql[i] as string)) i++
      kind = 'space'
    } else if ((ch === '-' && next === '-') || (ch === '/' && next === '/')) {
      while (i < n && sql[i] !== '\n') i++
      kind = 'comment'
    } else if (ch === '/' && next === '*') {
      const end = sql.indexOf('*/', i + 2)
      i = end < 0 ? n : end + 2
      kind = 'comment'
    } else if (ch === '\'') {
      i++
      while (i < n) {
        if (sql[i] === '\\') { i += 2; continue }
        if (sql[i] === '\'') {
          if (sql[i + 1] === '\'') { i += 2; continue }
          break
        }
        i++
      }
      i = Math.min(i + 1, n)
      kind = 'string'
    } else if (ch === '$' && next === '$') {
      const end = sql.indexOf('$$', i + 2)
      i = end < 0 ? n : end + 2
      kind = 'string'
    } else if (ch === '"') {
      i++
      while (i < n) {
        if (sql[i] === '"') {
          if (sql[i + 1] === '"') { i += 2; continue }
          break
        }
        i++
      }
      i = Math.min(i + 1, n)
      kind = 'quoted'
    } else if (WORD_START.test(ch)) {
      while (i < n && WORD_PART.test(sql[i] as string)) i++
      kind = 'word'
    } else if (DIGIT.test(ch) || (ch === '.' && DIGIT.test(next))) {
      while (i < n && /[0-9.]/.test(sql[i] as string)) i++
      if ((sql[i] === 'e' || sql[i] === 'E') && /[0-9+-]/.test(sql[i + 1] ?? '')) {
        i += 2
        while (i < n && DIGIT.test(sql[i] as string)) i++
      }
      kind = 'number'
    } else if (ch === '?') {
      i++
      kind = 'param'
    } else if (ch === ':' && DIGIT.test(next) && sql[i - 1] !== ':') {
      i++
      while (i < n && DIGIT.test(sql[i] as string)) i++
      kind = 'param'
    } else {
      i += TWO_CHAR_OPS.has(ch + next) ? 2 : 1
      kind = 'op'
    }
    tokens.push({ kind, text: sql.slice(start, i) })
  }
  return tokens
}

export function isTrivia (t: Token): boolean {
  return t.kind === 'space' || t.kind === 'comment'
}

/** Unescapes a Snowflake single-quoted or $$ literal into its value. */
export function stringValue (text: string): string {
  if (text.startsWith('$$')) return text.slice(2, -2)
  return text.slice(1, -1).replace(/''/g, '\'').replace(/\\(.)/g, (_m, c: string) => {
    switch (c) {
      case 'n': return '\n'
      case 't': return '\t'
      case 'r': return '\r'
      case '0': return '\0'
      default: return c
    }
  })
}

/** A DuckDB string literal for any value. */
export function sqlString (value: string): string {
  return '\'' + value.replace(/'/g, '\'\'') + '\''
}

/** A DuckDB quoted identifier. */
export function sqlIdent (name: string): string {
  return '"' + name.replace(/"/g, '""') + '"'
}

/**
 * The name an identifier as written stands for, as Snowflake resolves it: a "quoted" one keeps its case and
 * "" in it is one ", an unquoted one is upper-cased. Pure (no DuckDB), so the protocol layer uses it too.
 */
export function identifierName (written: string): string {
  const s = written.trim()
  if (s.length >= 2 && s.startsWith('"') && s.endsWith('"')) return s.slice(1, -1).replace(/""/g, '"')
  return s.toUpperCase()
}
