// Snowflake SQL → DuckDB SQL. Functions are mostly renamed to the SF_* macros of macros.ts; syntax DuckDB lacks
// (GENERATOR, QUERY_HISTORY table functions, Snowflake type names, `?`/`:N` binds) is rewritten token by token.
// SQL.md lists what is and is not translated.
import { SnowflakeError, type StatementContext } from './contract.js'
import { tokenize, isTrivia, stringValue, sqlIdent, sqlString, identifierName, type Token } from './lexer.js'
import { TIMESTAMP_TZ_TYPE } from './columns.js'
import {
  FUNCTION_RENAMES, DATE_PARTS, TYPES, WAIT_UNITS, VALUE_KINDS, SELECT_LIST_ENDS, snowflakePath, QUERY_STARTS, NOOP_STARTS, KEYWORDS_BEFORE_EXPRESSION, CLAUSE_WORDS, NO_PARENS_FUNCTIONS
} from './dialect.js'

export type StatementKind =
  | 'query' | 'insert' | 'update' | 'delete' | 'merge' | 'ddl' | 'use' | 'noop'

export interface TranslateContext extends
  Pick<StatementContext, 'sessionId' | 'database' | 'schema' | 'warehouse' | 'role' | 'user' | 'account' | 'queryIds'> {
  /** Session variables as DuckDB literals (`$name`). */
  variables?: ReadonlyMap<string, string>
  /** Names of DATE columns in the catalog: DATEADD and DATE_TRUNC on them stay DATE. */
  dateColumns?: ReadonlySet<string>
}

export interface Translation {
  sql: string
  kind: StatementKind
  /** Significant tokens of the original text, upper-cased words, for statement-level handling. */
  words: string[]
  /** Highest bind number the SQL uses. */
  paramCount: number
  /** The SQL reads INFORMATION_SCHEMA.QUERY_HISTORY*: the engine must provide the history table. */
  usesHistory: boolean
  /** Identifiers the SQL wrote in double quotes: result columns keep their case only for these. */
  quotedNames: Set<string>
  /**
   * Snowflake's names for the outer SELECT's columns, as written: an expression without an alias is named after
   * its text (`1+1`). null where DuckDB's name is already Snowflake's; undefined when the list has a `*`.
   */
  selectNames: Array<string | null> | undefined
  /** OBJECT or ARRAY for outer SELECT columns known to be one (they are JSON in DuckDB, which says VARIANT). */
  selectKinds?: Array<'object' | 'array' | null>
  /** Milliseconds SYSTEM$WAIT calls in the statement wait for. */
  waitMs: number
}

/** What CURRENT_VERSION() answers. */
const SNOWFLAKE_VERSION = '9.20.1'

export const HISTORY_TABLE = '__SF_QUERY_HISTORY'

interface Frame {
  label: string
  dropClose: boolean
  /** Where the call or parenthesis began in the output. */
  start: number
  /** TOP n of the query inside these parentheses. */
  limit?: string
}

class Translator {
  private readonly toks: Token[]
  private readonly sig: number[]
  private paramSeq = 0
  paramMax = 0
  selectKinds: Array<'object' | 'array' | null> | undefined
  /** TOP n of the outer query. */
  topLimit: string | undefined
  waitMs = 0
  usesHistory = false
  readonly quotedNames = new Set<string>()
  private readonly ddl: boolean

  constructor (sql: string, private readonly ctx: TranslateContext) {
    this.toks = tokenize(sql)
    this.sig = []
    this.toks.forEach((t, i) => { if (!isTrivia(t)) this.sig.push(i) })
    const first = this.word(0)
    this.ddl = first === 'CREATE' || first === 'ALTER'
  }

  words (): string[] {
    return this.sig.map(i => {
      const t = this.toks[i] as Token
      return t.kind === 'word' ? t.text.toUpperCase() : t.text
    })
  }

  word (s: number): string {
    const t = this.tok(s)
    return t === undefined ? '' : t.kind === 'word' ? t.text.toUpperCase() : t.text
  }

  private tok (s: number): Token | undefined {
    const i = this.sig[s]
    return i === undefined ? undefined : this.toks[i]
  }

  /** The significant index of the `)` (or `]`) matching the `(` (or `[`) at s. */
  private close (s: number, open = '(', close = ')'): number {
    let depth = 0
    for (let k = s; k < this.sig.length; k++) {
      const w = this.word(k)
      if (w === open) depth++
      else if (w === close && --depth === 0) return k
    }
    return this.sig.length
  }

  /** Top-level comma-separated arguments inside the parens at s..e as [start, end) significant ranges. */
  private args (s: number, e: number): Array<[number, number]> {
    const out: Array<[number, number]> = []
    let depth = 0
    let start = s + 1
    for (let k = s + 1; k < e; k++) {
      const w = this.word(k)
      if (w === '(') depth++
      else if (w === ')') depth--
      else if (w === ',' && depth === 0) { out.push([start, k]); start = k + 1 }
    }
    if (start < e) out.push([start, e])
    return out
  }

  /** Translates significant tokens [s, e), keeping the whitespace between them. */
  emit (s: number, e: number): string {
    let out = ''
    const stack: Frame[] = []
    // Where in `out` the last primary expression (name, literal, call, parenthesis) began, for postfix rewrites.
    let primary = 0
    for (let k = s; k < e; k++) {
      const i = this.sig[k] as number
      if (k > s) {
        const prev = this.sig[k - 1] as number
        if (i - prev > 1) out += ' '
      }
      const t = this.toks[i] as Token
      const w = this.word(k)
      const next = this.word(k + 1)
      const startsPrimary = (): void => { if (this.word(k - 1) !== '.' || k === s) primary = out.length }
      if (t.kind === 'param') {
        const n = t.text === '?' ? ++this.paramSeq : Number(t.text.slice(1))
        this.paramMax = Math.max(this.paramMax, n)
        primary = out.length
        out += '$' + n
        continue
      }
      if (t.kind === 'string') {
        primary = out.length
        out += t.text.startsWith('$$') || t.text.includes('\\') ? sqlString(stringValue(t.text)) : t.text
        continue
      }
      if (t.kind === 'quoted') {
        this.quotedNames.add(identifierName(t.text))
        startsPrimary()
        out += t.text
        continue
      }
      if (w === '$' && this.tok(k + 1)?.kind === 'word' && this.adjacent(k)) {
        primary = out.length
        out += this.variable(this.word(k + 1))
        k++
        continue
      }
      if (w === ':' && (this.tok(k + 1)?.kind === 'word' || this.tok(k + 1)?.kind === 'quoted')) {
        const path = this.path(k + 1, true)
        out = this.pathAccess(out, primary, path)
        k = path.end - 1
        continue
      }
      if (w === '[' && k > s && this.endsPrimary(k - 1)) {
        const path = this.path(k, false)
        out = this.pathAccess(out, primary, path)
        k = path.end - 1
        continue
      }
      if (w === '/' && k + 1 < e) {
        // Snowflake fails on a zero divisor (100051) where DuckDB answers NULL.
        const end = this.operandEnd(k + 1, e)
        out += '/ SF_NONZERO(' + this.emit(k + 1, end) + ')'
        k = end - 1
        continue
      }
      if ((w === 'LIKE' || w === 'ILIKE') && (next === 'ANY' || next === 'ALL' || next === 'SOME') && this.word(k + 2) === '(') {
        const close = this.close(k + 2)
        const left = out.slice(primary).trim()
        const joiner = next === 'ALL' ? ' AND ' : ' OR '
        const terms = this.args(k + 2, close).map(([a, b]) => `${left} ${w} ${this.emit(a, b)}`)
        out = out.slice(0, primary) + '(' + terms.join(joiner) + ')'
        k = close
        continue
      }
      if ((w === 'RLIKE' || w === 'REGEXP') && next !== '(') {
        const end = this.operandEnd(k + 1, e)
        out = out.slice(0, primary) + `SF_REGEXP_LIKE(${out.slice(primary).trim()}, ${this.emit(k + 1, end)})`
        k = end - 1
        continue
      }
      if (w === 'TOP' && this.tok(k + 1)?.kind === 'number' && (this.word(k - 1) === 'SELECT' || this.word(k - 1) === 'DISTINCT')) {
        const frame = stack[stack.length - 1]
        if (frame === undefined) this.topLimit = next
        else frame.limit = next
        k++
        continue
      }
      if (w === 'VALUES' && (this.word(k - 1) === 'FROM' || this.word(k - 1) === 'JOIN') && next === '(') {
        const values = this.values(k, e)
        primary = out.length
        out += values.text
        k = values.end - 1
        continue
      }
      if ((w === 'SAMPLE' || w === 'TABLESAMPLE') && k > s && this.endsPrimary(k - 1)) {
        const sample = this.sample(k)
        if (sample !== null) {
          out += sample.text
          k = sample.end - 1
          continue
        }
      }
      if (w === '(') {
        const prevWord = k > s ? this.word(k - 1) : ''
        const callStart = k > s && this.tok(k - 1)?.kind === 'word' && this.endsPrimary(k - 1) ? primary : out.length
        stack.push({ label: prevWord, dropClose: false, start: callStart })
        out += '('
        continue
      }
      if (w === ')') {
        const frame = stack.pop()
        if (frame?.limit !== undefined && !this.hasLimit(out, frame)) out += ` LIMIT ${frame.limit}`
        if (frame?.dropClose !== true) out += ')'
        primary = frame?.start ?? primary
        continue
      }
      if (t.kind !== 'word') {
        if (t.kind === 'number') primary = out.length
        out += t.text
        continue
      }
      // Type names in casts and column definitions.
      const typeInfo = TYPES[w]
      if (typeInfo !== undefined && this.isTypePosition(k, s, stack)) {
        let end = k + 1
        let params = ''
        if (next === '(') {
          end = this.close(k + 1) + 1
          if (typeInfo.keepParams) params = this.emit(k + 1, end)
        }
        if (w === 'DOUBLE' && this.word(end) === 'PRECISION') end++
        let duck = typeInfo.duck
        if (typeInfo.keepParams && params === '') duck = 'DECIMAL(38,0)'
        if (w === 'TIMESTAMP_TZ') duck = this.timestampTzCast(k, stack)
        const castAt = out.lastIndexOf('::')
        if ((duck === 'VARCHAR' || duck === 'JSON') && this.word(k - 1) === '::' && castAt >= primary) {
          // A VARIANT's string loses its quotes when cast to text; any value cast to VARIANT is that value as JSON.
          out = out.slice(0, primary) + (duck === 'VARCHAR' ? 'SF_TEXT(' : 'SF_TO_VARIANT(') + out.slice(primary, castAt).trim() + ')'
        } else out += duck + params
        k = end - 1
        continue
      }
      if (next === '(') {
        primary = out.length
        const special = this.call(k, w)
        if (special !== null) {
          out += special.text
          k = special.end - 1
          continue
        }
        out += FUNCTION_RENAMES[w] ?? w
        continue
      }
      if (w === 'LATERAL' && next === 'FLATTEN' && this.word(k + 2) === '(') {
        const close = this.close(k + 2)
        out += 'LATERAL ' + this.flatten(k + 2, close)
        k = close
        continue
      }
      if (NO_PARENS_FUNCTIONS.has(w) && this.word(k - 1) !== '.' && next !== '.') {
        primary = out.length
        out += w === 'CURRENT_USER' ? literalOrNull(this.userName()) : literalOrNull(this.ctx.role)
        continue
      }
      startsPrimary()
      out += w
    }
    return out
  }

  /** Tokens k and k+1 touch (no whitespace between them). */
  private adjacent (k: number): boolean {
    return (this.sig[k + 1] as number) - (this.sig[k] as number) === 1
  }

  /** The significant token at k closes a primary expression, so `[` or SAMPLE after it applies to it. */
  private endsPrimary (k: number): boolean {
    const t = this.tok(k)
    if (t === undefined) return false
    if (t.kind === 'word') return !KEYWORDS_BEFORE_EXPRESSION.has(t.text.toUpperCase())
    return t.kind === 'quoted' || t.text === ')' || t.text === ']'
  }

  /** The end of the operand starting at k: an optional sign, a primary, and its `::type`, `:path` and `[n]` postfixes. */
  private operandEnd (k: number, e: number): number {
    let j = k
    while (this.word(j) === '-' || this.word(j) === '+') j++
    if (this.word(j) === '(') j = this.close(j) + 1
    else {
      while (j < e && (this.word(j + 1) === '.' || this.word(j + 1) === ':')) j += 2
      if (this.word(j + 1) === '(') j = this.close(j + 1) + 1
      else j++
    }
    for (;;) {
      const w = this.word(j)
      if (w === '::') {
        j += 2
        if (this.word(j) === '(') j = this.close(j) + 1
      } else if (w === ':' && j < e) j += 2
      else if (w === '[') j = this.close(j, '[', ']') + 1
      else if (w === '.' && j < e) j += 2
      else return Math.min(j, e)
    }
  }

  /** A semi-structured path from k: `a.b[0]["c"]` after `:`, or `[0]['a']` element access. */
  private path (k: number, named: boolean): { json: string, end: number } {
    let json = '$'
    let j = k
    const key = (text: string, kind: string): string => {
      const name = kind === 'quoted' ? identifierName(text) : kind === 'string' ? stringValue(text) : text
      return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? '.' + name : '."' + name.replace(/"/g, '\\"') + '"'
    }
    if (named) {
      const t = this.tok(j) as Token
      json += key(t.text, t.kind)
      j++
    }
    for (;;) {
      const w = this.word(j)
      const t = this.tok(j + 1)
      if (w === '.' && t !== undefined && (t.kind === 'word' || t.kind === 'quoted')) {
        json += key(t.text, t.kind)
        j += 2
      } else if (w === '[' && t !== undefined && this.word(j + 2) === ']' && (t.kind === 'number' || t.kind === 'string')) {
        json += t.kind === 'number' ? `[${t.text}]` : key(t.text, 'string')
        j += 3
      } else return { json, end: j }
    }
  }

  /** Replaces the primary at the end of `out` by its path access; a `::` cast that follows reads the value as text. */
  private pathAccess (out: string, primary: number, path: { json: string, end: number }): string {
    const base = out.slice(primary).trim()
    const cast = this.word(path.end) === '::' && !['VARIANT', 'OBJECT', 'ARRAY'].includes(this.word(path.end + 1))
    return out.slice(0, primary) + `${cast ? 'SF_GET_TEXT' : 'SF_GET_PATH'}(${base}, ${sqlString(path.json)})`
  }

  private variable (name: string): string {
    const value = this.ctx.variables?.get(name.toUpperCase())
    if (value === undefined) {
      throw new SnowflakeError('002211', '02000', `SQL compilation error: error line 1 at position 0\nSession variable '$${name.toUpperCase()}' does not exist`)
    }
    return value
  }

  /** `FROM VALUES (…), (…) [AS] t [(c, …)]`: Snowflake names the columns COLUMN1…N. */
  private values (k: number, e: number): { text: string, end: number } {
    const rows: string[] = []
    let j = k + 1
    let width = 0
    while (this.word(j) === '(') {
      const close = this.close(j)
      width = Math.max(width, this.args(j, close).length)
      rows.push(this.emit(j, close + 1))
      j = close + 1
      if (this.word(j) !== ',' || this.word(j + 1) !== '(') break
      j++
    }
    let alias = '__VALUES'
    let columns = Array.from({ length: width }, (_v, n) => `COLUMN${n + 1}`)
    if (this.word(j) === 'AS') j++
    const t = this.tok(j)
    if (j < e && t !== undefined && (t.kind === 'word' || t.kind === 'quoted') && !CLAUSE_WORDS.has(this.word(j))) {
      alias = t.kind === 'quoted' ? t.text : this.word(j)
      j++
      if (this.word(j) === '(') {
        const close = this.close(j)
        columns = this.args(j, close).map(([a, b]) => this.emit(a, b))
        j = close + 1
      }
    }
    return { text: `(VALUES ${rows.join(', ')}) AS ${alias}(${columns.join(', ')})`, end: j }
  }

  /** `SAMPLE | TABLESAMPLE [BERNOULLI | ROW | SYSTEM | BLOCK] (p | n ROWS) [SEED | REPEATABLE (s)]`. */
  private sample (k: number): { text: string, end: number } | null {
    let j = k + 1
    if (['BERNOULLI', 'ROW', 'SYSTEM', 'BLOCK'].includes(this.word(j))) j++
    if (this.word(j) !== '(') return null
    const close = this.close(j)
    const amount = this.emit(j + 1, close).trim()
    j = close + 1
    let seed = ''
    if ((this.word(j) === 'SEED' || this.word(j) === 'REPEATABLE') && this.word(j + 1) === '(') {
      const end = this.close(j + 1)
      seed = ', ' + this.emit(j + 2, end)
      j = end + 1
    }
    const rows = /\s+ROWS$/i.exec(amount)
    const text = rows !== null
      ? ` TABLESAMPLE ${amount.slice(0, rows.index)} ROWS`
      : ` TABLESAMPLE ${amount}% (bernoulli${seed})`
    return { text, end: j }
  }

  private hasLimit (out: string, frame: Frame): boolean {
    return /\bLIMIT\s+\S+\s*$/i.test(out.slice(frame.start))
  }

  private isTypePosition (k: number, s: number, stack: Frame[]): boolean {
    if (k <= s) return false
    const prev = this.word(k - 1)
    if (prev === '::') return true
    const top = stack[stack.length - 1]
    if (prev === 'AS' && (top?.label === 'CAST' || top?.label === 'TRY_CAST')) return true
    if (!this.ddl) return false
    const prevTok = this.tok(k - 1)
    const prevPrev = this.word(k - 2)
    if (prev === 'TYPE') return true
    return (prevTok?.kind === 'word' || prevTok?.kind === 'quoted') &&
      (prevPrev === '(' || prevPrev === ',' || prevPrev === 'COLUMN' || prevPrev === 'ADD')
  }

  /** TIMESTAMP_TZ is a union over text (see columns.ts); other types reach it through VARCHAR. */
  private timestampTzCast (k: number, stack: Frame[]): string {
    const prev = this.word(k - 1)
    if (prev === '::') return 'VARCHAR::' + TIMESTAMP_TZ_TYPE
    const top = stack[stack.length - 1]
    if (prev === 'AS' && top !== undefined && (top.label === 'CAST' || top.label === 'TRY_CAST')) {
      top.dropClose = true
      return 'VARCHAR)::' + TIMESTAMP_TZ_TYPE
    }
    return TIMESTAMP_TZ_TYPE
  }

  private datePart (a: [number, number]): string {
    const t = this.tok(a[0])
    const raw = t === undefined ? '' : t.kind === 'string' ? stringValue(t.text) : t.text
    return sqlString(DATE_PARTS[raw.toUpperCase()] ?? raw.toLowerCase())
  }

  /** Calls whose translation needs more than a rename. Returns null to fall back to the rename. */
  private call (k: number, w: string): { text: string, end: number } | null {
    const open = k + 1
    const close = this.close(open)
    const args = this.args(open, close)
    const arg = (n: number): string => {
      const a = args[n]
      return a === undefined ? '' : this.emit(a[0], a[1])
    }
    const end = close + 1
    switch (w) {
      case 'SEQ1': case 'SEQ2': case 'SEQ4': case 'SEQ8':
        return { text: '(ROW_NUMBER() OVER () - 1)', end }
      case 'CURRENT_TIMESTAMP': case 'CURRENT_DATE': case 'CURRENT_TIME': case 'LOCALTIMESTAMP':
        return args.length === 0 ? { text: w, end } : null
      case 'CURRENT_WAREHOUSE': return { text: literalOrNull(this.ctx.warehouse), end }
      case 'CURRENT_ROLE': return { text: literalOrNull(this.ctx.role), end }
      case 'CURRENT_DATABASE': return { text: literalOrNull(this.ctx.database), end }
      case 'CURRENT_SCHEMA': return { text: literalOrNull(this.ctx.schema), end }
      case 'CURRENT_SESSION': return { text: sqlString(String(this.ctx.sessionId)), end }
      case 'CURRENT_USER': return { text: literalOrNull(this.userName()), end }
      case 'CURRENT_ACCOUNT': case 'CURRENT_ACCOUNT_NAME': return { text: literalOrNull(this.ctx.account?.toUpperCase() ?? null), end }
      case 'CURRENT_VERSION': return { text: sqlString(SNOWFLAKE_VERSION), end }
      case 'LAST_QUERY_ID': {
        // LAST_QUERY_ID(-1) is the latest, LAST_QUERY_ID(1) the first of the session.
        const ids = this.ctx.queryIds ?? []
        const n = args.length === 0 ? -1 : Number(arg(0).replace(/\s+/g, ''))
        const id = n < 0 ? ids[ids.length + n] : ids[n - 1]
        return { text: literalOrNull(id ?? null), end }
      }
      case 'SYSTEM$WAIT': {
        const amount = Number(arg(0))
        const unit = args.length > 1 ? stringValue(arg(1).trim()).toUpperCase() : 'SECONDS'
        const ms = WAIT_UNITS[unit]
        if (ms === undefined || !Number.isFinite(amount)) return null
        this.waitMs += amount * ms
        return { text: sqlString(`waited ${amount} ${unit.toLowerCase()}`), end }
      }
      case 'DATEADD': case 'TIMESTAMPADD': case 'TIMEADD': {
        if (args.length !== 3) return null
        const part = this.datePart(args[0] as [number, number])
        const text = `SF_DATEADD(${part}, ${arg(1)}, ${arg(2)})`
        return { text: this.keepsDate(args[2] as [number, number], part) ? `CAST(${text} AS DATE)` : text, end }
      }
      case 'ADD_MONTHS':
        if (args.length !== 2) return null
        return {
          text: this.keepsDate(args[0] as [number, number], "'month'") ? `CAST(SF_ADD_MONTHS(${arg(0)}, ${arg(1)}) AS DATE)` : `SF_ADD_MONTHS(${arg(0)}, ${arg(1)})`,
          end
        }
      case 'DATEDIFF': case 'TIMESTAMPDIFF': case 'TIMEDIFF':
        if (args.length !== 3) return null
        // Text arguments are read as timestamps, as Snowflake casts them.
        return { text: `DATE_DIFF(${this.datePart(args[0] as [number, number])}, ${this.timestampArg(args[1] as [number, number])}, ${this.timestampArg(args[2] as [number, number])})`, end }
      case 'TIME_SLICE': {
        if (args.length < 3) return null
        const unit = this.datePart(args[2] as [number, number])
        const width = `CAST(CAST(${arg(1)} AS VARCHAR) || ' ' || ${unit} AS INTERVAL)`
        const slice = `TIME_BUCKET(${width}, ${arg(0)}, DATE '1970-01-01')`
        const atEnd = args.length > 3 && stringValue(arg(3).trim()).toUpperCase() === 'END'
        return { text: atEnd ? `(${slice} + ${width})` : slice, end }
      }
      case 'CONVERT_TIMEZONE':
        if (args.length !== 3) return null
        return { text: `SF_CONVERT_TIMEZONE(${arg(0)}, ${arg(1)}, ${arg(2)})`, end }
      case 'DECODE': {
        if (args.length < 3) return null
        // The subject is emitted once: a `?` in it is one bind, however many WHENs repeat it.
        const subject = arg(0)
        let text = 'CASE'
        for (let n = 1; n + 1 < args.length; n += 2) text += ` WHEN (${subject}) IS NOT DISTINCT FROM (${arg(n)}) THEN ${arg(n + 1)}`
        if (args.length % 2 === 0) text += ` ELSE ${arg(args.length - 1)}`
        return { text: text + ' END', end }
      }
      case 'GET_PATH': case 'GET': {
        if (args.length !== 2) return null
        const p = this.tok((args[1] as [number, number])[0])
        const json = p?.kind === 'string'
          ? (w === 'GET' ? (/^\d+$/.test(stringValue(p.text)) ? `$[${stringValue(p.text)}]` : `$."${stringValue(p.text)}"`) : snowflakePath(stringValue(p.text)))
          : null
        if (json !== null) return { text: `SF_GET_PATH(${arg(0)}, ${sqlString(json)})`, end }
        return w === 'GET' ? { text: `SF_GET_PATH(${arg(0)}, '$[' || CAST(${arg(1)} AS VARCHAR) || ']')`, end } : null
      }
      case 'LISTAGG': case 'ARRAY_AGG': case 'ARRAYAGG': return this.aggregate(k, w, args, end)
      case 'FLATTEN': return { text: this.flatten(open, close), end }
      case 'DATE_TRUNC': case 'DATE_PART': {
        if (args.length !== 2) return null
        const part = this.datePart(args[0] as [number, number])
        const text = `${w}(${part}, ${arg(1)})`
        return { text: w === 'DATE_TRUNC' && this.keepsDate(args[1] as [number, number], part) ? `CAST(${text} AS DATE)` : text, end }
      }
      case 'TO_NUMBER': case 'TO_DECIMAL': case 'TO_NUMERIC': {
        // Precision and scale must be literals for a DuckDB type, so they become a cast.
        const nums = args.slice(1).map(a => this.tok(a[0]))
        if (args.length >= 2 && nums.every(t => t?.kind === 'number')) {
          const p = nums[0]?.text ?? '38'
          const sc = nums[1]?.text ?? '0'
          return { text: `CAST(${arg(0)} AS DECIMAL(${p},${sc}))`, end }
        }
        return null
      }
      case 'TO_VARCHAR': case 'TO_CHAR': case 'TO_DATE': case 'TRY_TO_DATE': case 'TO_TIME': case 'TO_TIMESTAMP':
      case 'TO_TIMESTAMP_NTZ': case 'TO_TIMESTAMP_LTZ': case 'TO_TIMESTAMP_TZ': {
        const f = args[1] === undefined ? undefined : this.tok(args[1][0])
        if (args.length === 1 && (w === 'TO_TIMESTAMP' || w === 'TO_TIMESTAMP_NTZ')) return { text: `SF_EPOCH_OR_TIMESTAMP(${arg(0)})`, end }
        if (args.length === 1 && w === 'TRY_TO_DATE') return { text: `TRY_CAST(${arg(0)} AS DATE)`, end }
        if (args.length !== 2 || f?.kind !== 'string') return null
        const fmt = sqlString(strftimeFormat(stringValue(f.text)))
        const x = arg(0)
        const parsed = `${w === 'TRY_TO_DATE' ? 'TRY_STRPTIME' : 'STRPTIME'}(CAST(${x} AS VARCHAR), ${fmt})`
        const text = {
          TO_VARCHAR: `STRFTIME(${x}, ${fmt})`,
          TO_CHAR: `STRFTIME(${x}, ${fmt})`,
          TO_DATE: `CAST(${parsed} AS DATE)`,
          TRY_TO_DATE: `CAST(${parsed} AS DATE)`,
          TO_TIME: `CAST(${parsed} AS TIME)`,
          TO_TIMESTAMP: `CAST(${parsed} AS TIMESTAMP)`,
          TO_TIMESTAMP_NTZ: `CAST(${parsed} AS TIMESTAMP)`,
          TO_TIMESTAMP_LTZ: `CAST(${parsed} AS TIMESTAMPTZ)`,
          TO_TIMESTAMP_TZ: `CAST(CAST(${parsed} AS VARCHAR) AS ${TIMESTAMP_TZ_TYPE})`
        }[w]
        return { text, end }
      }
      case 'TABLE': return this.tableFunction(open, close)
      default: return null
    }
  }

  private tableFunction (open: number, close: number): { text: string, end: number } | null {
    // TABLE(GENERATOR(ROWCOUNT => n)) and TABLE([db.]INFORMATION_SCHEMA.QUERY_HISTORY*(...)).
    let k = open + 1
    const path: string[] = []
    while (k < close && this.tok(k)?.kind !== 'op') {
      path.push(this.word(k))
      if (this.word(k + 1) !== '.') break
      k += 2
    }
    k++
    if (this.word(k) !== '(') return null
    const inner = this.close(k)
    const named = new Map<string, string>()
    for (const [a, b] of this.args(k, inner)) {
      if (this.word(a + 1) === '=>') named.set(this.word(a), this.emit(a + 2, b))
    }
    const name = path[path.length - 1] ?? ''
    if (name === 'FLATTEN') return { text: this.flatten(k, inner), end: close + 1 }
    if (name === 'GENERATOR') {
      const rows = named.get('ROWCOUNT') ?? '0'
      return { text: `RANGE(${rows})`, end: close + 1 }
    }
    if (name.startsWith('QUERY_HISTORY') && (path.length === 1 || path[path.length - 2] === 'INFORMATION_SCHEMA')) {
      this.usesHistory = true
      const limit = named.get('RESULT_LIMIT') ?? '100'
      const where = name === 'QUERY_HISTORY_BY_SESSION'
        ? `WHERE SESSION_ID = ${Number(this.ctx.sessionId)}`
        : ''
      return {
        text: `(SELECT * FROM temp.main.${HISTORY_TABLE} ${where} ORDER BY START_TIME DESC LIMIT ${limit})`,
        end: close + 1
      }
    }
    return null
  }

  private userName (): string | null {
    return this.ctx.user === undefined ? null : this.ctx.user.toUpperCase()
  }

  /** The argument is a DATE (literal cast, DATE function or DATE column) and the part is a day or longer. */
  private keepsDate (a: [number, number], part: string): boolean {
    if (!["'year'", "'quarter'", "'month'", "'week'", "'day'"].includes(part)) return false
    const last = this.word(a[1] - 1)
    const first = this.word(a[0])
    if (last === 'DATE' && (this.word(a[1] - 2) === '::' || this.word(a[1] - 2) === 'AS')) return true
    if (a[1] - a[0] === 2 && first === 'DATE' && this.tok(a[0] + 1)?.kind === 'string') return true
    if (['TO_DATE', 'DATE', 'CURRENT_DATE', 'DATE_FROM_PARTS', 'DATEFROMPARTS', 'LAST_DAY', 'TRY_TO_DATE'].includes(first) &&
      (a[1] - a[0] === 1 || this.close(a[0] + 1) === a[1] - 1)) return true
    const t = this.tok(a[1] - 1)
    const single = a[1] - a[0] === 1 || (this.word(a[1] - 2) === '.' && (t?.kind === 'word' || t?.kind === 'quoted'))
    return single && t !== undefined && this.ctx.dateColumns?.has(identifierName(t.text)) === true
  }

  /** A DATEDIFF argument: text literals are read as timestamps. */
  private timestampArg (a: [number, number]): string {
    const text = this.emit(a[0], a[1])
    return a[1] - a[0] === 1 && this.tok(a[0])?.kind === 'string' ? `CAST(${text} AS TIMESTAMP)` : text
  }

  /** LISTAGG and ARRAY_AGG, with their WITHIN GROUP (ORDER BY …). */
  private aggregate (k: number, w: string, args: Array<[number, number]>, end: number): { text: string, end: number } {
    let order = ''
    let after = end
    if (this.word(end) === 'WITHIN' && this.word(end + 1) === 'GROUP' && this.word(end + 2) === '(') {
      const close = this.close(end + 2)
      order = ' ' + this.emit(end + 3, close).trim()
      after = close + 1
    }
    const first = args[0]
    if (first === undefined) return { text: w, end: k + 1 }
    const distinct = this.word(first[0]) === 'DISTINCT'
    const value = this.emit(distinct ? first[0] + 1 : first[0], first[1]).trim()
    const prefix = distinct ? 'DISTINCT ' : ''
    if (w === 'LISTAGG') {
      const separator = args[1] === undefined ? "''" : this.emit(args[1][0], args[1][1]).trim()
      // DuckDB orders a DISTINCT aggregate only by its own argument, so that one is not wrapped.
      return { text: `coalesce(STRING_AGG(${prefix}${distinct ? value : `SF_TEXT(${value})`}, ${separator}${order}), '')`, end: after }
    }
    // ARRAY_AGG leaves NULLs out.
    return { text: `coalesce(to_json(LIST(${prefix}${value}${order}) FILTER (WHERE ${value} IS NOT NULL)), '[]'::JSON)`, end: after }
  }

  /**
   * FLATTEN(INPUT => e [, PATH => 'p'] [, OUTER => b]) as a subquery with Snowflake's columns SEQ, KEY, PATH, INDEX,
   * VALUE, THIS. The parentheses at open..close hold the arguments.
   */
  private flatten (open: number, close: number): string {
    const named = new Map<string, [number, number]>()
    const positional: Array<[number, number]> = []
    for (const [a, b] of this.args(open, close)) {
      if (this.word(a + 1) === '=>') named.set(this.word(a), [a + 2, b])
      else positional.push([a, b])
    }
    const input = named.get('INPUT') ?? positional[0]
    const source = input === undefined ? 'NULL' : this.emit(input[0], input[1])
    const pathArg = named.get('PATH')
    const pathText = pathArg === undefined ? '' : stringValue(this.emit(pathArg[0], pathArg[1]).trim())
    const outerArg = named.get('OUTER')
    const outer = outerArg !== undefined && this.emit(outerArg[0], outerArg[1]).trim().toUpperCase() === 'TRUE'
    const json = pathText === '' ? `CAST(${source} AS JSON)` : `SF_GET_PATH(${source}, ${sqlString(snowflakePath(pathText))})`
    const dot = pathText === '' ? '' : pathText + '.'
    const columns = `1 AS "SEQ", CASE WHEN json_type(__F.J) = 'OBJECT' THEN __E.key END AS "KEY",
      CASE WHEN json_type(__F.J) = 'ARRAY' THEN ${sqlString(pathText + '[')} || __E.key || ']' ELSE ${sqlString(dot)} || __E.key END AS "PATH",
      CASE WHEN json_type(__F.J) = 'ARRAY' THEN CAST(__E.key AS BIGINT) END AS "INDEX", __E.value AS "VALUE", __F.J AS "THIS"`
    const join = outer ? 'LEFT JOIN LATERAL json_each(__F.J) AS __E ON true' : ', json_each(__F.J) AS __E'
    return `(SELECT ${columns} FROM (SELECT ${json} AS J) AS __F ${join} ` +
      `WHERE json_type(__F.J) IN ('ARRAY', 'OBJECT') OR ${outer ? 'true' : 'false'} ORDER BY __E.id)`
  }

  /** The outer SELECT's items as significant ranges, or undefined when there is no SELECT. */
  private selectItems (): Array<[number, number]> | undefined {
    let depth = 0
    let start = -1
    for (let k = 0; k < this.sig.length && start < 0; k++) {
      const w = this.word(k)
      if (w === '(') depth++
      else if (w === ')') depth--
      else if (depth === 0 && w === 'SELECT') start = k + 1
    }
    if (start < 0) return undefined
    while (['DISTINCT', 'ALL'].includes(this.word(start))) start++
    if (this.word(start) === 'TOP') start += 2
    const items: Array<[number, number]> = []
    depth = 0
    let from = start
    let k = start
    for (; k < this.sig.length; k++) {
      const w = this.word(k)
      if (w === '(' || w === '[') depth++
      else if (w === ')' || w === ']') depth--
      else if (depth === 0 && SELECT_LIST_ENDS.has(w)) break
      else if (depth === 0 && w === ',') {
        items.push([from, k])
        from = k + 1
      }
    }
    if (from < k) items.push([from, k])
    return items
  }

  /** Where the expression of the select item [a, b) ends: before `AS alias` or a bare alias. */
  private expressionEnd (a: number, b: number): number {
    const last = this.tok(b - 1)
    if (b - a < 2 || (last?.kind !== 'word' && last?.kind !== 'quoted') || this.word(b - 1) === 'END') return b
    const before = this.tok(b - 2)
    if (this.word(b - 2) === 'AS') return b - 2
    const bare = (this.endsPrimary(b - 2) && before?.text !== '.') || before?.kind === 'number' || before?.kind === 'string'
    return bare ? b - 1 : b
  }

  /** [a, b) is a column reference: `c`, `t.c` or `db.s.t.c`. */
  private isColumn (a: number, b: number): boolean {
    for (let n = a; n < b; n++) {
      const name = this.tok(n)?.kind === 'word' || this.tok(n)?.kind === 'quoted'
      if ((n - a) % 2 === 0 ? !name : this.word(n) !== '.') return false
    }
    return (b - a) % 2 === 1
  }

  /** OBJECT or ARRAY when the expression [a, end) is a call (or cast) that returns one; JSON does not say. */
  private valueKind (a: number, end: number): 'object' | 'array' | null {
    if (this.word(end - 2) === '::') return VALUE_KINDS[this.word(end - 1)] ?? null
    if (this.word(a + 1) !== '(') return null
    const close = this.close(a + 1)
    // An aggregate's WITHIN GROUP (…) follows its arguments.
    const whole = close === end - 1 || (this.word(close + 1) === 'WITHIN' && this.close(close + 3) === end - 1)
    return whole ? VALUE_KINDS[this.word(a)] ?? null : null
  }

  /**
   * Snowflake's names for the outer SELECT's columns (see Translation.selectNames): an item without an alias that
   * is not a column reference is named after its text, upper-cased. Also sets selectKinds.
   */
  selectNames (): Array<string | null> | undefined {
    const items = this.selectItems()
    if (items === undefined || items.some(([, b]) => this.word(b - 1) === '*')) return undefined
    const ends = items.map(([a, b]) => this.expressionEnd(a, b))
    this.selectKinds = items.map(([a], i) => this.valueKind(a, ends[i] as number))
    return items.map(([a, b], i) => {
      if (ends[i] !== b || this.isColumn(a, b)) return null
      const text = this.toks.slice(this.sig[a], (this.sig[b - 1] as number) + 1).map(t => t.text).join('')
      return text.toUpperCase()
    })
  }

  kind (): StatementKind {
    const first = this.word(0)
    const second = this.word(1)
    if (QUERY_STARTS.has(first)) return 'query'
    if (NOOP_STARTS.has(first) || NOOP_STARTS.has(first + ' ' + second)) return 'noop'
    switch (first) {
      case 'INSERT': return 'insert'
      case 'UPDATE': return 'update'
      case 'DELETE': return 'delete'
      case 'MERGE': return 'merge'
      case 'USE': return 'use'
      default: return 'ddl'
    }
  }

  get length (): number {
    let n = this.sig.length
    while (n > 0 && this.word(n - 1) === ';') n--
    return n
  }
}

// Snowflake format elements → strftime; longer elements first so 'YYYY' is not read as two 'YY'.
const FORMAT: Array<[RegExp, string]> = [
  [/YYYY/g, '%Y'], [/YY/g, '%y'], [/MONTH/g, '%B'], [/MON/g, '%b'], [/MM/g, '%m'], [/DD/g, '%d'], [/DY/g, '%a'],
  [/HH24/g, '%H'], [/HH12/g, '%I'], [/HH/g, '%H'], [/MI/g, '%M'], [/SS/g, '%S'], [/FF9/g, '%n'], [/FF6/g, '%f'],
  [/FF3/g, '%g'], [/FF\d?/g, '%n'], [/AM|PM/g, '%p'], [/TZH:TZM|TZHTZM/g, '%z']
]

export function strftimeFormat (snowflake: string): string {
  let out = snowflake.toUpperCase().replace(/%/g, '%%')
  for (const [re, to] of FORMAT) out = out.replace(re, to)
  return out
}

function literalOrNull (v: string | null): string {
  return v === null || v === '' ? 'NULL' : sqlString(v)
}

export function translate (sqlText: string, ctx: TranslateContext): Translation {
  const tr = new Translator(sqlText, ctx)
  // CALL answers one column named after the procedure.
  let sql = tr.word(0) === 'CALL'
    ? `SELECT ${tr.emit(1, tr.length)} AS ${sqlIdent(tr.word(1))}`
    : tr.emit(0, tr.length)
  if (tr.topLimit !== undefined && !/\bLIMIT\s+\S+\s*$/i.test(sql)) sql += ` LIMIT ${tr.topLimit}`
  return {
    sql,
    selectNames: tr.kind() === 'query' ? tr.selectNames() : undefined,
    selectKinds: tr.selectKinds,
    waitMs: tr.waitMs,
    kind: tr.kind(),
    words: tr.words(),
    paramCount: tr.paramMax,
    usesHistory: tr.usesHistory,
    quotedNames: tr.quotedNames
  }
}
