// Snowflake SQL → DuckDB SQL. Functions are mostly renamed to the SF_* macros of macros.ts; syntax DuckDB lacks
// (GENERATOR, QUERY_HISTORY table functions, Snowflake type names, `?`/`:N` binds) is rewritten token by token.
// SQL.md lists what is and is not translated.
import { tokenize, isTrivia, stringValue, sqlString, identifierName, type Token } from './lexer.js'
import { TIMESTAMP_TZ_TYPE } from './columns.js'

export type StatementKind =
  | 'query' | 'insert' | 'update' | 'delete' | 'merge' | 'ddl' | 'use' | 'noop'

export interface TranslateContext {
  sessionId: number
  database: string | null
  schema: string | null
  warehouse: string | null
  role: string | null
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
}

export const HISTORY_TABLE = '__SF_QUERY_HISTORY'

/** Snowflake rewrites a function call to a macro of the same meaning (macros.ts) or a DuckDB builtin. */
const FUNCTION_RENAMES: Record<string, string> = {
  IFF: 'SF_IFF',
  NVL: 'SF_NVL',
  IFNULL: 'SF_NVL',
  NVL2: 'SF_NVL2',
  ZEROIFNULL: 'SF_ZEROIFNULL',
  TO_VARCHAR: 'SF_TO_VARCHAR',
  TO_CHAR: 'SF_TO_VARCHAR',
  TO_DATE: 'SF_TO_DATE',
  TRY_TO_DATE: 'SF_TRY_TO_DATE',
  TO_TIME: 'SF_TO_TIME',
  TO_TIMESTAMP: 'SF_TO_TIMESTAMP_NTZ',
  TO_TIMESTAMP_NTZ: 'SF_TO_TIMESTAMP_NTZ',
  TO_TIMESTAMP_LTZ: 'SF_TO_TIMESTAMP_LTZ',
  TO_TIMESTAMP_TZ: 'SF_TO_TIMESTAMP_TZ',
  TO_NUMBER: 'SF_TO_NUMBER',
  TO_DECIMAL: 'SF_TO_NUMBER',
  TO_NUMERIC: 'SF_TO_NUMBER',
  TRY_TO_NUMBER: 'SF_TRY_TO_NUMBER',
  TO_DOUBLE: 'SF_TO_DOUBLE',
  TO_BOOLEAN: 'SF_TO_BOOLEAN',
  PARSE_JSON: 'SF_PARSE_JSON',
  TRY_PARSE_JSON: 'SF_TRY_PARSE_JSON',
  TO_VARIANT: 'SF_TO_VARIANT',
  OBJECT_CONSTRUCT: 'JSON_OBJECT',
  ARRAY_CONSTRUCT: 'JSON_ARRAY',
  ARRAY_SIZE: 'JSON_ARRAY_LENGTH',
  SYSDATE: 'SF_SYSDATE',
  GETDATE: 'SF_GETDATE',
  UNIFORM: 'SF_UNIFORM',
  RANDOM: 'SF_RANDOM',
  DIV0: 'SF_DIV0',
  SQUARE: 'SF_SQUARE',
  LEN: 'LENGTH',
  CHARINDEX: 'SF_CHARINDEX',
  HASH: 'SF_HASH',
  TO_BINARY: 'SF_TO_BINARY'
}

const DATE_PART_SYNONYMS: Array<[string, string]> = [
  ['year', 'YEAR YEARS Y YY YYY YYYY YR YRS'],
  ['quarter', 'QUARTER QUARTERS Q QTR QTRS'],
  ['month', 'MONTH MONTHS MM MON MONS'],
  ['week', 'WEEK WEEKS W WK WEEKOFYEAR WOY WY'],
  ['day', 'DAY DAYS D DD DAYOFMONTH'],
  ['hour', 'HOUR HOURS H HH HR HRS'],
  ['minute', 'MINUTE MINUTES M MI MIN MINS'],
  ['second', 'SECOND SECONDS S SEC SECS'],
  ['millisecond', 'MILLISECOND MILLISECONDS MS MSEC'],
  ['microsecond', 'MICROSECOND MICROSECONDS US USEC'],
  ['nanosecond', 'NANOSECOND NANOSECONDS NS NSEC']
]
const DATE_PARTS: Record<string, string> = Object.fromEntries(
  DATE_PART_SYNONYMS.flatMap(([part, names]) => names.split(' ').map(n => [n, part])))

/** Snowflake type name → DuckDB type; `null` params means Snowflake's (p,s) or (n) are dropped. */
const TYPES: Record<string, { duck: string, keepParams: boolean }> = {
  NUMBER: { duck: 'DECIMAL', keepParams: true },
  NUMERIC: { duck: 'DECIMAL', keepParams: true },
  DECIMAL: { duck: 'DECIMAL', keepParams: true },
  DEC: { duck: 'DECIMAL', keepParams: true },
  INT: { duck: 'DECIMAL(38,0)', keepParams: false },
  INTEGER: { duck: 'DECIMAL(38,0)', keepParams: false },
  BIGINT: { duck: 'DECIMAL(38,0)', keepParams: false },
  SMALLINT: { duck: 'DECIMAL(38,0)', keepParams: false },
  TINYINT: { duck: 'DECIMAL(38,0)', keepParams: false },
  BYTEINT: { duck: 'DECIMAL(38,0)', keepParams: false },
  FLOAT: { duck: 'DOUBLE', keepParams: false },
  FLOAT4: { duck: 'DOUBLE', keepParams: false },
  FLOAT8: { duck: 'DOUBLE', keepParams: false },
  DOUBLE: { duck: 'DOUBLE', keepParams: false },
  REAL: { duck: 'DOUBLE', keepParams: false },
  VARCHAR: { duck: 'VARCHAR', keepParams: false },
  STRING: { duck: 'VARCHAR', keepParams: false },
  TEXT: { duck: 'VARCHAR', keepParams: false },
  CHAR: { duck: 'VARCHAR', keepParams: false },
  CHARACTER: { duck: 'VARCHAR', keepParams: false },
  NCHAR: { duck: 'VARCHAR', keepParams: false },
  NVARCHAR: { duck: 'VARCHAR', keepParams: false },
  NVARCHAR2: { duck: 'VARCHAR', keepParams: false },
  BINARY: { duck: 'BLOB', keepParams: false },
  VARBINARY: { duck: 'BLOB', keepParams: false },
  BOOLEAN: { duck: 'BOOLEAN', keepParams: false },
  DATE: { duck: 'DATE', keepParams: false },
  TIME: { duck: 'TIME', keepParams: false },
  DATETIME: { duck: 'TIMESTAMP', keepParams: false },
  TIMESTAMP: { duck: 'TIMESTAMP', keepParams: false },
  TIMESTAMP_NTZ: { duck: 'TIMESTAMP', keepParams: false },
  TIMESTAMP_LTZ: { duck: 'TIMESTAMPTZ', keepParams: false },
  TIMESTAMP_TZ: { duck: TIMESTAMP_TZ_TYPE, keepParams: false },
  VARIANT: { duck: 'JSON', keepParams: false },
  OBJECT: { duck: 'JSON', keepParams: false },
  ARRAY: { duck: 'JSON', keepParams: false }
}

const QUERY_STARTS = new Set(['SELECT', 'WITH', 'VALUES', 'FROM', 'TABLE', 'SHOW', 'DESCRIBE', 'DESC', 'EXPLAIN', '(', 'SUMMARIZE'])
const NOOP_STARTS = new Set(['BEGIN', 'START', 'COMMIT', 'ROLLBACK', 'ALTER SESSION', 'SET', 'UNSET'])

interface Frame { label: string, dropClose: boolean }

class Translator {
  private readonly toks: Token[]
  private readonly sig: number[]
  private paramSeq = 0
  paramMax = 0
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

  private word (s: number): string {
    const t = this.tok(s)
    return t === undefined ? '' : t.kind === 'word' ? t.text.toUpperCase() : t.text
  }

  private tok (s: number): Token | undefined {
    const i = this.sig[s]
    return i === undefined ? undefined : this.toks[i]
  }

  /** The significant index of the `)` matching the `(` at s. */
  private close (s: number): number {
    let depth = 0
    for (let k = s; k < this.sig.length; k++) {
      const w = this.word(k)
      if (w === '(') depth++
      else if (w === ')' && --depth === 0) return k
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
    for (let k = s; k < e; k++) {
      const i = this.sig[k] as number
      if (k > s) {
        const prev = this.sig[k - 1] as number
        if (i - prev > 1) out += ' '
      }
      const t = this.toks[i] as Token
      const w = this.word(k)
      const next = this.word(k + 1)
      if (t.kind === 'param') {
        const n = t.text === '?' ? ++this.paramSeq : Number(t.text.slice(1))
        this.paramMax = Math.max(this.paramMax, n)
        out += '$' + n
        continue
      }
      if (t.kind === 'string') {
        out += t.text.startsWith('$$') || t.text.includes('\\') ? sqlString(stringValue(t.text)) : t.text
        continue
      }
      if (t.kind === 'quoted') {
        this.quotedNames.add(identifierName(t.text))
        out += t.text
        continue
      }
      if (w === '(') {
        const prevWord = k > s ? this.word(k - 1) : ''
        stack.push({ label: prevWord, dropClose: false })
        out += '('
        continue
      }
      if (w === ')') {
        const frame = stack.pop()
        if (frame?.dropClose !== true) out += ')'
        continue
      }
      if (t.kind !== 'word') {
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
        out += duck + params
        k = end - 1
        continue
      }
      if (next === '(') {
        const special = this.call(k, w)
        if (special !== null) {
          out += special.text
          k = special.end - 1
          continue
        }
        out += FUNCTION_RENAMES[w] ?? w
        continue
      }
      out += w
    }
    return out
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
      case 'DATEADD': case 'TIMESTAMPADD': case 'TIMEADD':
        if (args.length !== 3) return null
        return { text: `SF_DATEADD(${this.datePart(args[0] as [number, number])}, ${arg(1)}, ${arg(2)})`, end }
      case 'DATEDIFF': case 'TIMESTAMPDIFF': case 'TIMEDIFF':
        if (args.length !== 3) return null
        return { text: `DATE_DIFF(${this.datePart(args[0] as [number, number])}, ${arg(1)}, ${arg(2)})`, end }
      case 'DATE_TRUNC': case 'DATE_PART':
        if (args.length !== 2) return null
        return { text: `${w}(${this.datePart(args[0] as [number, number])}, ${arg(1)})`, end }
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
  const sql = tr.emit(0, tr.length)
  return {
    sql,
    kind: tr.kind(),
    words: tr.words(),
    paramCount: tr.paramMax,
    usesHistory: tr.usesHistory,
    quotedNames: tr.quotedNames
  }
}
