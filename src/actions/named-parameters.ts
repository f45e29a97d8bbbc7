export interface PositionalSql {
  /** The SQL with each `:name` replaced by `?`. */
  sql: string
  /** The parameter name behind each `?`, in order; a name used twice appears twice. */
  order: string[]
  /** Each name once, sorted. */
  names: string[]
}

const nameStart = /[A-Za-z_]/
const namePart = /[A-Za-z0-9_]/

/**
 * Turns named parameters into positional driver binds. Only a `:name` in SQL code counts:
 * string literals, `$$…$$` strings, quoted identifiers, comments and `::` casts are left alone.
 */
export function toPositional (source: string): PositionalSql {
  let sql = ''
  const order: string[] = []
  let i = 0
  const copyUntil = (end: number): void => {
    sql += source.slice(i, end)
    i = end
  }
  const closing = (from: number, terminator: string): number => {
    const at = source.indexOf(terminator, from)
    return at === -1 ? source.length : at + terminator.length
  }
  while (i < source.length) {
    const ch = source[i] as string
    const next = source[i + 1]
    if (ch === "'" || ch === '"') {
      // A doubled quote escapes itself, so scanning for the next lone quote works for both.
      let j = i + 1
      while (j < source.length) {
        if (source[j] === '\\' && ch === "'") j += 2
        else if (source[j] === ch && source[j + 1] === ch) j += 2
        else if (source[j] === ch) break
        else j++
      }
      copyUntil(Math.min(j + 1, source.length))
    } else if (ch === '$' && next === '$') {
      copyUntil(closing(i + 2, '$$'))
    } else if (ch === '-' && next === '-') {
      copyUntil(closing(i + 2, '\n'))
    } else if (ch === '/' && next === '*') {
      copyUntil(closing(i + 2, '*/'))
    } else if (ch === ':' && next === ':') {
      copyUntil(i + 2)
    } else if (ch === ':' && next !== undefined && nameStart.test(next)) {
      let j = i + 1
      while (j < source.length && namePart.test(source[j] as string)) j++
      order.push(source.slice(i + 1, j))
      sql += '?'
      i = j
    } else {
      copyUntil(i + 1)
    }
  }
  return { sql, order, names: [...new Set(order)].sort() }
}
