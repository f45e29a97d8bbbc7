// Snowflake SQL → DuckDB SQL: sql/parser.ts builds the statement's tree, this prints it for DuckDB. Functions are
// cases on call nodes (most are renames to the SF_* macros of macros.ts), syntax DuckDB lacks is printed from its
// node (FLATTEN, TOP, FROM VALUES, SAMPLE, LIKE ANY, path access), and sql/infer.ts says which expressions are DATEs.
// Statements the parser leaves alone go through sql/passthrough.ts. SQL.md lists what is and is not translated.
import { SnowflakeError, type StatementContext } from './contract.js'
import { sqlIdent, sqlString } from './lexer.js'
import { TIMESTAMP_TZ_TYPE } from './columns.js'
import { FUNCTION_RENAMES, DATE_PARTS, TYPES, WAIT_UNITS, VALUE_KINDS, snowflakePath, QUERY_STARTS, NOOP_STARTS } from './dialect.js'
import type { Arg, ColumnDef, CreatePrefix, Expr, FromItem, Ident, OrderItem, PathStep, Query, QueryBody, Sample, Select, Statement, TypeName, WindowSpec } from './sql/ast.js'
import { parse, significantTokens } from './sql/parser.js'
import { DateInference, DAY_OR_LONGER, identName, type Scope } from './sql/infer.js'
import { passThrough } from './sql/passthrough.js'

export type StatementKind =
  | 'query' | 'insert' | 'update' | 'delete' | 'merge' | 'ddl' | 'use' | 'noop'

export interface TranslateContext extends
  Pick<StatementContext, 'sessionId' | 'database' | 'schema' | 'warehouse' | 'role' | 'user' | 'account' | 'queryIds'> {
  /** Session variables as DuckDB literals (`$name`). */
  variables?: ReadonlyMap<string, string>
  /** Names of DATE columns in the catalog: DATEADD and DATE_TRUNC on them stay DATE. */
  dateColumns?: ReadonlySet<string>
  /** The session's catalog of temporary tables (database.ts): CREATE TEMPORARY TABLE creates the table there. */
  temporaryCatalog?: string
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

type Call = Expr & { type: 'call' }

const JSON_TYPES = new Set(['VARIANT', 'OBJECT', 'ARRAY'])

class Printer {
  waitMs = 0
  usesHistory = false
  readonly quotedNames = new Set<string>()
  private scope: Scope | undefined
  readonly infer: DateInference

  constructor (private readonly ctx: TranslateContext, readonly text: string) {
    this.infer = new DateInference(ctx.dateColumns, text, e => this.partName(e))
  }

  // ---- names and types
  ident (i: Ident): string {
    if (i.quoted) {
      this.quotedNames.add(identName(i))
      return i.text
    }
    return i.text.toUpperCase()
  }

  name (parts: Ident[]): string {
    return parts.map(p => this.ident(p)).join('.')
  }

  private idents (list: Ident[]): string {
    return list.map(i => this.ident(i)).join(', ')
  }

  /** A Snowflake type as DuckDB's; `ddl` for a column definition (TIMESTAMP_TZ is then the union itself). */
  type (t: TypeName): string {
    const info = TYPES[t.name]
    if (info === undefined) return t.name + (t.params.length > 0 ? `(${t.params.join(', ')})` : '')
    if (info.keepParams) return t.params.length > 0 ? `DECIMAL(${t.params.join(',')})` : 'DECIMAL(38,0)'
    return info.duck
  }

  // ---- statements
  statement (st: Statement): string {
    switch (st.type) {
      case 'query': {
        const body = st.query.body
        // VALUES alone names its columns COLUMN1…, as FROM VALUES does.
        if (body.type === 'values' && st.query.with === undefined && st.query.orderBy.length === 0 && st.query.limit === undefined) {
          return `SELECT * FROM ${this.values(body.rows, undefined, undefined)}`
        }
        return this.query(st.query)
      }
      case 'insert':
        return `INSERT ${st.overwrite ? 'OVERWRITE ' : ''}INTO ${this.name(st.table)}` +
          `${st.columns === undefined ? '' : ` (${this.idents(st.columns)})`} ${this.query(st.source)}`
      case 'update': {
        const scope = this.scope
        this.scope = this.infer.forSelect({ type: 'select', distinct: false, items: [], from: [st.table, ...st.from], windows: [] }, scope)
        let out = `UPDATE ${this.from(st.table)} SET ${st.sets.map(a => `${this.name(a.column)} = ${this.expr(a.value)}`).join(', ')}`
        if (st.from.length > 0) out += ` FROM ${st.from.map(f => this.from(f)).join(', ')}`
        if (st.where !== undefined) out += ` WHERE ${this.expr(st.where)}`
        this.scope = scope
        return out
      }
      case 'delete': {
        let out = `DELETE FROM ${this.from(st.table)}`
        if (st.using.length > 0) out += ` USING ${st.using.map(f => this.from(f)).join(', ')}`
        if (st.where !== undefined) out += ` WHERE ${this.expr(st.where)}`
        return out
      }
      case 'merge': {
        let out = `MERGE INTO ${this.from(st.target)} USING ${this.from(st.source)} ON ${this.expr(st.on)}`
        for (const w of st.whens) {
          out += ` WHEN ${w.matched ? '' : 'NOT '}MATCHED${w.bySource === undefined ? '' : w.bySource ? ' BY SOURCE' : ' BY TARGET'}`
          if (w.condition !== undefined) out += ` AND ${this.expr(w.condition)}`
          const a = w.action
          if (a.type === 'delete') out += ' THEN DELETE'
          else if (a.type === 'update') out += ` THEN UPDATE SET ${a.sets.map(s => `${this.name(s.column)} = ${this.expr(s.value)}`).join(', ')}`
          else {
            out += ' THEN INSERT'
            if (a.columns !== undefined) out += ` (${this.idents(a.columns)})`
            if (a.values !== undefined) out += ` VALUES (${a.values.map(v => this.expr(v)).join(', ')})`
          }
        }
        return out
      }
      case 'createTable': {
        // A temporary table belongs to the session's own catalog, whatever database and schema it names.
        const temporary = this.ctx.temporaryCatalog !== undefined && st.create.modifiers.some(m => m === 'TEMPORARY' || m === 'TEMP' || m === 'VOLATILE')
        const name = temporary ? `${sqlIdent(this.ctx.temporaryCatalog as string)}.main.${this.ident(st.name[st.name.length - 1] as Ident)}` : this.name(st.name)
        let out = `${this.create(st.create, 'TABLE')} ${name}`
        if (st.columns !== undefined) out += ` (${[...st.columns.map(c => this.columnDef(c)), ...st.constraints].join(', ')})`
        if (st.as !== undefined) out += ` AS ${this.query(st.as)}`
        return out
      }
      case 'createView':
        return `${this.create(st.create, 'VIEW')} ${this.name(st.name)}` +
          `${st.columns === undefined ? '' : ` (${this.idents(st.columns)})`} AS ${this.query(st.query)}`
      case 'call':
        // CALL answers one column named after the procedure.
        return `SELECT ${this.expr(st.call)} AS ${sqlIdent(identName(st.name[st.name.length - 1] as Ident))}`
    }
  }

  private create (c: CreatePrefix, kind: string): string {
    return ['CREATE', c.orReplace ? 'OR REPLACE' : '', ...c.modifiers, kind, c.ifNotExists ? 'IF NOT EXISTS' : ''].filter(w => w !== '').join(' ')
  }

  private columnDef (c: ColumnDef): string {
    let out = this.ident(c.name)
    if (c.dataType !== undefined) out += ' ' + (c.dataType.name === 'TIMESTAMP_TZ' ? TIMESTAMP_TZ_TYPE : this.type(c.dataType))
    for (const o of c.options) out += 'default' in o ? ` DEFAULT ${this.expr(o.default)}` : ` ${o.words}`
    return out
  }

  // ---- queries
  query (q: Query): string {
    const outer = this.scope
    this.scope = this.infer.withCtes(q, outer)
    let out = ''
    if (q.with !== undefined) {
      const ctes = q.with.ctes.map(c => `${this.ident(c.name)}${c.columns === undefined ? '' : `(${this.idents(c.columns)})`} AS (${this.query(c.query)})`)
      out += `WITH ${q.with.recursive ? 'RECURSIVE ' : ''}${ctes.join(', ')} `
    }
    const withScope = this.scope
    if (q.body.type === 'select') this.scope = this.infer.forSelect(q.body, withScope)
    out += this.body(q.body, q.body.type === 'select')
    if (q.orderBy.length > 0) out += ` ORDER BY ${this.orderItems(q.orderBy)}`
    // TOP n of the query's own SELECT is its LIMIT.
    const limit = q.limit ?? (q.body.type === 'select' ? q.body.top : undefined)
    if (limit !== undefined) out += ` LIMIT ${this.expr(limit)}`
    if (q.offset !== undefined) out += ` OFFSET ${this.expr(q.offset)}`
    this.scope = outer
    return out
  }

  private body (b: QueryBody, scoped = false): string {
    switch (b.type) {
      case 'select': {
        if (scoped) return this.select(b)
        const outer = this.scope
        this.scope = this.infer.forSelect(b, outer)
        const text = this.select(b)
        this.scope = outer
        return b.top === undefined ? text : `(${text} LIMIT ${this.expr(b.top)})`
      }
      case 'setop': return `${this.body(b.left)} ${b.op} ${this.body(b.right)}`
      case 'values': return `VALUES ${this.rows(b.rows)}`
      case 'nested': return `(${this.query(b.query)})`
    }
  }

  private select (s: Select): string {
    let out = `SELECT ${s.distinct ? 'DISTINCT ' : ''}` +
      s.items.map(i => this.expr(i.expr) + (i.alias === undefined ? '' : ` AS ${this.ident(i.alias)}`)).join(', ')
    if (s.from.length > 0) out += ` FROM ${s.from.map(f => this.from(f)).join(', ')}`
    if (s.where !== undefined) out += ` WHERE ${this.expr(s.where)}`
    if (s.groupBy !== undefined) {
      const g = s.groupBy
      if (g.modifier === 'ALL') out += ' GROUP BY ALL'
      else if (g.modifier !== undefined) out += ` GROUP BY ${g.modifier} (${this.exprs(g.items)})`
      else out += ` GROUP BY ${this.exprs(g.items)}`
    }
    if (s.having !== undefined) out += ` HAVING ${this.expr(s.having)}`
    if (s.qualify !== undefined) out += ` QUALIFY ${this.expr(s.qualify)}`
    if (s.windows.length > 0) out += ` WINDOW ${s.windows.map(w => `${this.ident(w.name)} AS ${this.window(w.spec)}`).join(', ')}`
    return out
  }

  private rows (rows: Expr[][]): string {
    return rows.map(r => `(${this.exprs(r)})`).join(', ')
  }

  /** `FROM VALUES (…), (…) [AS] t [(c, …)]`: Snowflake names the columns COLUMN1…N. */
  private values (rows: Expr[][], alias: Ident | undefined, columns: Ident[] | undefined): string {
    const width = Math.max(0, ...rows.map(r => r.length))
    const names = columns === undefined ? Array.from({ length: width }, (_v, n) => `COLUMN${n + 1}`).join(', ') : this.idents(columns)
    return `(VALUES ${this.rows(rows)}) AS ${alias === undefined ? '__VALUES' : this.ident(alias)}(${names})`
  }

  private alias (item: { alias?: Ident, columns?: Ident[] }): string {
    if (item.alias === undefined) return ''
    return ` AS ${this.ident(item.alias)}${item.columns === undefined ? '' : `(${this.idents(item.columns)})`}`
  }

  from (f: FromItem): string {
    switch (f.type) {
      case 'table': return this.name(f.name) + this.alias(f) + this.sample(f.sample)
      case 'derived': {
        const b = f.query.body
        if (b.type === 'values' && f.columns === undefined && f.query.orderBy.length === 0) {
          return (f.lateral ? 'LATERAL ' : '') + this.values(b.rows, f.alias, undefined) + this.sample(f.sample)
        }
        return `${f.lateral ? 'LATERAL ' : ''}(${this.query(f.query)})${this.alias(f)}${this.sample(f.sample)}`
      }
      case 'values': return this.values(f.rows, f.alias, f.columns)
      case 'function': return (f.lateral ? 'LATERAL ' : '') + this.tableFunction(f.call, f.table) + this.alias(f)
      case 'join': {
        let out = `${this.from(f.left)} ${f.kind === '' ? '' : f.kind + ' '}JOIN ${this.from(f.right)}`
        if (f.on !== undefined) out += ` ON ${this.expr(f.on)}`
        if (f.using !== undefined) out += ` USING (${this.idents(f.using)})`
        return out
      }
      case 'parens': return `(${this.from(f.item)})${this.alias(f)}`
    }
  }

  /** `SAMPLE (p)` is a Bernoulli percentage, `SAMPLE (n ROWS)` a row count. */
  private sample (s: Sample | undefined): string {
    if (s === undefined) return ''
    const amount = this.expr(s.amount)
    if (s.rows) return ` TABLESAMPLE ${amount} ROWS`
    return ` TABLESAMPLE ${amount}% (bernoulli${s.seed === undefined ? '' : ', ' + this.expr(s.seed)})`
  }

  /** TABLE(GENERATOR(ROWCOUNT => n)), TABLE([db.]INFORMATION_SCHEMA.QUERY_HISTORY*(…)), [TABLE(]FLATTEN(…)[)]. */
  private tableFunction (call: Call, table: boolean): string {
    const parts = call.name.map(identName)
    const name = parts[parts.length - 1] ?? ''
    const named = new Map(call.args.filter(a => a.name !== undefined).map(a => [a.name as string, a.value]))
    if (name === 'FLATTEN' && parts.length === 1) return this.flatten(call.args)
    if (table && name === 'GENERATOR') {
      const rows = named.get('ROWCOUNT')
      return `RANGE(${rows === undefined ? '0' : this.expr(rows)})`
    }
    if (table && name.startsWith('QUERY_HISTORY') && (parts.length === 1 || parts[parts.length - 2] === 'INFORMATION_SCHEMA')) {
      this.usesHistory = true
      const limit = named.get('RESULT_LIMIT')
      const where = name === 'QUERY_HISTORY_BY_SESSION' ? `WHERE SESSION_ID = ${Number(this.ctx.sessionId)}` : ''
      return `(SELECT * FROM temp.main.${HISTORY_TABLE} ${where} ORDER BY START_TIME DESC LIMIT ${limit === undefined ? '100' : this.expr(limit)})`
    }
    return this.expr(call)
  }

  /**
   * FLATTEN(INPUT => e [, PATH => 'p'] [, OUTER => b] [, RECURSIVE => b] [, MODE => 'OBJECT' | 'ARRAY' | 'BOTH']) as a
   * subquery with Snowflake's columns SEQ, KEY, PATH, INDEX, VALUE, THIS. RECURSIVE reads DuckDB's json_tree (depth
   * first, as Snowflake orders it), each element joined to its container for THIS.
   */
  private flatten (args: Arg[]): string {
    const named = new Map(args.filter(a => a.name !== undefined).map(a => [a.name as string, a.value]))
    const input = named.get('INPUT') ?? args.find(a => a.name === undefined)?.value
    const source = input === undefined ? 'NULL' : this.expr(input)
    const pathArg = named.get('PATH')
    const pathText = pathArg?.type === 'string' ? pathArg.value : ''
    const flag = (name: string): boolean => { const v = named.get(name); return v?.type === 'boolean' && v.value }
    const modeArg = named.get('MODE')
    const mode = modeArg?.type === 'string' ? modeArg.value.toUpperCase() : 'BOTH'
    const kinds = mode === 'OBJECT' ? "('OBJECT')" : mode === 'ARRAY' ? "('ARRAY')" : "('OBJECT', 'ARRAY')"
    const json = pathText === '' ? `CAST(${source} AS JSON)` : `SF_GET_PATH(${source}, ${sqlString(snowflakePath(pathText))})`
    // Recursive: an element is flattened only when every container above it is of a kind MODE flattens.
    const ancestors = mode === 'OBJECT' ? " AND NOT regexp_matches(__C.path, '\\[[0-9]+\\]')" : mode === 'ARRAY' ? " AND regexp_matches(__C.path, '^\\$(\\[[0-9]+\\])*$')" : ''
    const elements = flag('RECURSIVE')
      ? `SELECT __C.key, __C.value, __C.id, __C.fullkey, __P.type AS container, __P.value AS this FROM json_tree(__F.J) AS __C JOIN json_tree(__F.J) AS __P ON __P.id = __C.parent WHERE __P.type IN ${kinds}${ancestors}`
      : `SELECT key, value, id, fullkey, json_type(__F.J) AS container, __F.J AS this FROM json_each(__F.J) WHERE json_type(__F.J) IN ${kinds}`
    // DuckDB's full key is `$.a[0]`; Snowflake's PATH is `a[0]`, after the PATH argument when there is one.
    const path = `${sqlString(pathText)} || ${pathText === '' ? "ltrim(substr(__E.fullkey, 2), '.')" : 'substr(__E.fullkey, 2)'}`
    const columns = '1 AS "SEQ", CASE WHEN __E.container = \'OBJECT\' THEN __E.key END AS "KEY", ' +
      `${path} AS "PATH", CASE WHEN __E.container = 'ARRAY' THEN CAST(__E.key AS BIGINT) END AS "INDEX", ` +
      '__E.value AS "VALUE", coalesce(__E.this, __F.J) AS "THIS"'
    const join = flag('OUTER') ? `LEFT JOIN LATERAL (${elements}) AS __E ON true` : `, LATERAL (${elements}) AS __E`
    return `(SELECT ${columns} FROM (SELECT ${json} AS J) AS __F ${join} ORDER BY __E.id)`
  }

  private orderItems (items: OrderItem[]): string {
    return items.map(o => this.expr(o.expr) + (o.direction === undefined ? '' : ' ' + o.direction) + (o.nulls === undefined ? '' : ' NULLS ' + o.nulls)).join(', ')
  }

  private window (w: WindowSpec): string {
    const parts: string[] = []
    if (w.ref !== undefined) parts.push(this.ident(w.ref))
    if (w.partitionBy.length > 0) parts.push(`PARTITION BY ${this.exprs(w.partitionBy)}`)
    if (w.orderBy.length > 0) parts.push(`ORDER BY ${this.orderItems(w.orderBy)}`)
    if (w.frame !== undefined) parts.push(w.frame)
    return `(${parts.join(' ')})`
  }

  // ---- expressions
  exprs (list: Expr[]): string {
    return list.map(e => this.expr(e)).join(', ')
  }

  expr (e: Expr): string {
    switch (e.type) {
      case 'string': return sqlString(e.value)
      case 'number': return e.text
      case 'boolean': return e.value ? 'TRUE' : 'FALSE'
      case 'null': return 'NULL'
      case 'param': return '$' + e.n
      case 'variable': return this.variable(e.name)
      case 'name': {
        const only = e.parts.length === 1 && !(e.parts[0] as Ident).quoted ? identName(e.parts[0] as Ident) : ''
        if (only === 'CURRENT_USER') return literalOrNull(this.userName())
        if (only === 'CURRENT_ROLE') return literalOrNull(this.ctx.role)
        return this.name(e.parts)
      }
      case 'star': {
        let out = e.qualifier.length > 0 ? `${this.name(e.qualifier)}.*` : '*'
        const m = e.modifiers
        if (m.ilike !== undefined) out = `COLUMNS(${sqlString('(?i)^' + m.ilike.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.') + '$')})`
        if (m.exclude !== undefined) out += ` EXCLUDE (${this.idents(m.exclude)})`
        if (m.replace !== undefined) out += ` REPLACE (${m.replace.map(r => `${this.expr(r.expr)} AS ${this.ident(r.alias as Ident)}`).join(', ')})`
        if (m.rename !== undefined) out += ` RENAME (${m.rename.map(([a, b]) => `${this.ident(a)} AS ${this.ident(b)}`).join(', ')})`
        return out
      }
      case 'call': return this.call(e)
      case 'unary': {
        const operand = this.expr(e.operand)
        if (e.op === 'NOT') return `NOT ${operand}`
        // `- -2` must not print as `--2`, a comment.
        return `${e.op}${/^[-+]/.test(operand) ? ' ' : ''}${operand}`
      }
      case 'binary':
        // Snowflake fails on a zero divisor (100051) where DuckDB answers NULL.
        if (e.op === '/') return `${this.expr(e.left)} / SF_NONZERO(${this.expr(e.right)})`
        return `${this.expr(e.left)} ${e.op} ${this.expr(e.right)}`
      case 'like': {
        if (e.op === 'RLIKE' || e.op === 'REGEXP') return `${e.not ? 'NOT ' : ''}SF_REGEXP_LIKE(${this.expr(e.left)}, ${this.expr(e.pattern)})`
        return `${this.expr(e.left)} ${e.not ? 'NOT ' : ''}${e.op} ${this.expr(e.pattern)}${e.escape === undefined ? '' : ` ESCAPE ${this.expr(e.escape)}`}`
      }
      case 'likeAny': {
        const left = this.expr(e.left)
        const terms = e.patterns.map(p => `${left} ${e.op} ${this.expr(p)}`)
        return `${e.not ? 'NOT ' : ''}(${terms.join(e.quantifier === 'ALL' ? ' AND ' : ' OR ')})`
      }
      case 'quantified': return `${this.expr(e.left)} ${e.op} ${e.quantifier} (${this.query(e.query)})`
      case 'in':
        return `${this.expr(e.left)} ${e.not ? 'NOT ' : ''}IN (${e.query === undefined ? this.exprs(e.list ?? []) : this.query(e.query)})`
      case 'between': return `${this.expr(e.left)} ${e.not ? 'NOT ' : ''}BETWEEN ${this.expr(e.low)} AND ${this.expr(e.high)}`
      case 'is': return `${this.expr(e.left)} IS ${e.not ? 'NOT ' : ''}${e.what}${e.right === undefined ? '' : ' ' + this.expr(e.right)}`
      case 'case': {
        let out = 'CASE'
        if (e.operand !== undefined) out += ' ' + this.expr(e.operand)
        for (const [w, t] of e.whens) out += ` WHEN ${this.expr(w)} THEN ${this.expr(t)}`
        if (e.else !== undefined) out += ` ELSE ${this.expr(e.else)}`
        return out + ' END'
      }
      case 'cast': return this.cast(e)
      case 'typed': {
        if (['DATE', 'TIME', 'TIMESTAMP'].includes(e.to.name)) return `${e.to.name} ${sqlString(e.value)}`
        return this.castText(sqlString(e.value), e.to, 'CAST')
      }
      case 'interval': return `INTERVAL ${this.expr(e.value)}`
      case 'path': return this.path(e, false)
      case 'subquery': return `(${this.query(e.query)})`
      case 'exists': return `EXISTS (${this.query(e.query)})`
      case 'paren': return `(${this.expr(e.expr)})`
      case 'tuple': return `(${this.exprs(e.items)})`
      case 'array': return `[${this.exprs(e.items)}]`
      case 'object': return `{${e.entries.map(([k, v]) => `${this.expr(k)}: ${this.expr(v)}`).join(', ')}}`
      case 'extract': return `EXTRACT(${e.field.toUpperCase()} FROM ${this.expr(e.from)})`
      case 'position': return `POSITION(${this.expr(e.needle)} IN ${this.expr(e.haystack)})`
      case 'lambda': return `${this.idents(e.params)} -> ${this.expr(e.body)}`
    }
  }

  private variable (name: string): string {
    const value = this.ctx.variables?.get(name.toUpperCase())
    if (value === undefined) {
      throw new SnowflakeError('002211', '02000', `SQL compilation error: error line 1 at position 0\nSession variable '$${name.toUpperCase()}' does not exist`)
    }
    return value
  }

  /** `v:a.b[0]` and `x[0]` read JSON; `asText` when a cast follows, so the value is read as text, not as JSON. */
  private path (e: Expr & { type: 'path' }, asText: boolean): string {
    const base = this.expr(e.base)
    let json = '$'
    const dynamic: string[] = []
    for (const step of e.steps) {
      if (step.kind === 'expr') {
        // An index computed at run time: the JSON path is assembled around it.
        dynamic.push(`${sqlString(json + '[')} || CAST(${this.expr(step.expr)} AS VARCHAR) || ']'`)
        json = ''
        continue
      }
      json += pathStep(step)
    }
    const path = dynamic.length === 0 ? sqlString(json) : [...dynamic, ...(json === '' ? [] : [sqlString(json)])].join(' || ')
    return `${asText ? 'SF_GET_TEXT' : 'SF_GET_PATH'}(${base}, ${path})`
  }

  private cast (e: Expr & { type: 'cast' }): string {
    const json = JSON_TYPES.has(e.to.name)
    if (e.expr.type === 'path' && !json) {
      const text = this.path(e.expr, true)
      const duck = this.type(e.to)
      return duck === 'VARCHAR' ? text : this.castText(text, e.to, e.style)
    }
    return this.castText(this.expr(e.expr), e.to, e.style)
  }

  /** `x::t` / CAST(x AS t) for a printed operand. */
  private castText (x: string, to: TypeName, style: 'CAST' | 'TRY_CAST' | '::'): string {
    if (to.name === 'TIMESTAMP_TZ') {
      // TIMESTAMP_TZ is a union over text (see columns.ts); other types reach it through VARCHAR.
      return style === '::' ? `${x}::VARCHAR::${TIMESTAMP_TZ_TYPE}` : `${style}(${x} AS VARCHAR)::${TIMESTAMP_TZ_TYPE}`
    }
    const duck = this.type(to)
    if (style === '::') {
      // A VARIANT's string loses its quotes when cast to text; any value cast to VARIANT is that value as JSON.
      if (duck === 'VARCHAR') return `SF_TEXT(${x})`
      if (duck === 'JSON') return `SF_TO_VARIANT(${x})`
      return `${x}::${duck}`
    }
    return `${style}(${x} AS ${duck})`
  }

  // ---- calls
  /** A DATE part argument (`day`, `'mm'`) as DuckDB's name for it, lower-case. */
  partName (e: Expr | undefined): string {
    if (e === undefined) return ''
    const raw = e.type === 'string' ? e.value : e.type === 'name' && e.parts.length === 1 ? (e.parts[0] as Ident).text : ''
    return DATE_PARTS[raw.toUpperCase()] ?? raw.toLowerCase()
  }

  private keepsDate (x: Expr | undefined, part: string): boolean {
    return x !== undefined && DAY_OR_LONGER.has(part) && this.infer.isDate(x, this.scope)
  }

  private userName (): string | null {
    return this.ctx.user === undefined ? null : this.ctx.user.toUpperCase()
  }

  /** The call with its name printed as given and its arguments, DISTINCT, WITHIN GROUP, FILTER and OVER. */
  private generic (c: Call, name: string, args: string[] = this.args(c.args)): string {
    let out = `${name}(${c.star ? '*' : (c.distinct ? 'DISTINCT ' : '') + args.join(', ')}${c.nulls === undefined ? '' : ` ${c.nulls} NULLS`}${c.orderBy === undefined ? '' : ` ORDER BY ${this.orderItems(c.orderBy)}`})`
    if (c.withinGroup !== undefined) out += ` WITHIN GROUP (ORDER BY ${this.orderItems(c.withinGroup)})`
    if (c.filter !== undefined) out += ` FILTER (WHERE ${this.expr(c.filter)})`
    if (c.over !== undefined) out += ` OVER ${c.over.partitionBy.length === 0 && c.over.orderBy.length === 0 && c.over.frame === undefined && c.over.ref !== undefined ? this.ident(c.over.ref) : this.window(c.over)}`
    return out
  }

  private args (args: Arg[]): string[] {
    return args.map(a => (a.name === undefined ? '' : `${a.name} => `) + this.expr(a.value))
  }

  /** Snowflake functions: a case where the translation needs more than a rename (FUNCTION_RENAMES). */
  call (c: Call): string {
    if (c.name.length !== 1 || (c.name[0] as Ident).quoted) return this.generic(c, this.name(c.name))
    const w = identName(c.name[0] as Ident)
    const a = c.args.map(x => x.value)
    const arg = (n: number): string => a[n] === undefined ? '' : this.expr(a[n] as Expr)
    const part = (n: number): string => sqlString(this.partName(a[n]))
    switch (w) {
      case 'SEQ1': case 'SEQ2': case 'SEQ4': case 'SEQ8': return '(ROW_NUMBER() OVER () - 1)'
      case 'CURRENT_TIMESTAMP': case 'CURRENT_DATE': case 'CURRENT_TIME': case 'LOCALTIMESTAMP': return w
      case 'CURRENT_WAREHOUSE': return literalOrNull(this.ctx.warehouse)
      case 'CURRENT_ROLE': return literalOrNull(this.ctx.role)
      case 'CURRENT_DATABASE': return literalOrNull(this.ctx.database)
      case 'CURRENT_SCHEMA': return literalOrNull(this.ctx.schema)
      case 'CURRENT_SESSION': return sqlString(String(this.ctx.sessionId))
      case 'CURRENT_USER': return literalOrNull(this.userName())
      case 'CURRENT_ACCOUNT': case 'CURRENT_ACCOUNT_NAME': return literalOrNull(this.ctx.account?.toUpperCase() ?? null)
      case 'CURRENT_VERSION': return sqlString(SNOWFLAKE_VERSION)
      case 'LAST_QUERY_ID': {
        // LAST_QUERY_ID(-1) is the latest, LAST_QUERY_ID(1) the first of the session.
        const ids = this.ctx.queryIds ?? []
        const n = a.length === 0 ? -1 : Number(arg(0).replace(/\s+/g, ''))
        const id = n < 0 ? ids[ids.length + n] : ids[n - 1]
        return literalOrNull(id ?? null)
      }
      case 'SYSTEM$WAIT': {
        const amount = Number(arg(0))
        const unitArg = a[1]
        const unit = unitArg === undefined ? 'SECONDS' : unitArg.type === 'string' ? unitArg.value.toUpperCase() : ''
        const ms = WAIT_UNITS[unit]
        if (ms === undefined || !Number.isFinite(amount)) break
        this.waitMs += amount * ms
        return sqlString(`waited ${amount} ${unit.toLowerCase()}`)
      }
      case 'DATEADD': case 'TIMESTAMPADD': case 'TIMEADD': {
        if (a.length !== 3) break
        const text = `SF_DATEADD(${part(0)}, ${arg(1)}, ${arg(2)})`
        return this.keepsDate(a[2], this.partName(a[0])) ? `CAST(${text} AS DATE)` : text
      }
      case 'ADD_MONTHS': {
        if (a.length !== 2) break
        const text = `SF_ADD_MONTHS(${arg(0)}, ${arg(1)})`
        return this.keepsDate(a[0], 'month') ? `CAST(${text} AS DATE)` : text
      }
      case 'DATEDIFF': case 'TIMESTAMPDIFF': case 'TIMEDIFF': {
        if (a.length !== 3) break
        // Text arguments are read as timestamps, as Snowflake casts them.
        const ts = (n: number): string => a[n]?.type === 'string' ? `CAST(${arg(n)} AS TIMESTAMP)` : arg(n)
        return `DATE_DIFF(${part(0)}, ${ts(1)}, ${ts(2)})`
      }
      case 'TIME_SLICE': {
        if (a.length < 3) break
        const width = `CAST(CAST(${arg(1)} AS VARCHAR) || ' ' || ${part(2)} AS INTERVAL)`
        const slice = `TIME_BUCKET(${width}, ${arg(0)}, DATE '1970-01-01')`
        const end = a[3]
        return end?.type === 'string' && end.value.toUpperCase() === 'END' ? `(${slice} + ${width})` : slice
      }
      case 'CONVERT_TIMEZONE':
        if (a.length !== 3) break
        return `SF_CONVERT_TIMEZONE(${arg(0)}, ${arg(1)}, ${arg(2)})`
      case 'DECODE': {
        if (a.length < 3) break
        // The subject is printed once and repeated: a `?` in it is one bind, however many WHENs repeat it.
        const subject = arg(0)
        let text = 'CASE'
        for (let n = 1; n + 1 < a.length; n += 2) text += ` WHEN (${subject}) IS NOT DISTINCT FROM (${arg(n)}) THEN ${arg(n + 1)}`
        if (a.length % 2 === 0) text += ` ELSE ${arg(a.length - 1)}`
        return text + ' END'
      }
      case 'GET_PATH': case 'GET': {
        if (a.length !== 2) break
        const p = a[1] as Expr
        if (p.type === 'string') {
          const json = w === 'GET' ? (/^\d+$/.test(p.value) ? `$[${p.value}]` : `$."${p.value}"`) : snowflakePath(p.value)
          return `SF_GET_PATH(${arg(0)}, ${sqlString(json)})`
        }
        if (w === 'GET') return `SF_GET_PATH(${arg(0)}, '$[' || CAST(${arg(1)} AS VARCHAR) || ']')`
        break
      }
      case 'LISTAGG': case 'ARRAY_AGG': case 'ARRAYAGG': {
        if (a.length === 0 || c.over !== undefined) break
        const order = c.withinGroup === undefined ? '' : ` ORDER BY ${this.orderItems(c.withinGroup)}`
        const value = arg(0)
        const prefix = c.distinct ? 'DISTINCT ' : ''
        if (w === 'LISTAGG') {
          const separator = a[1] === undefined ? "''" : arg(1)
          // DuckDB orders a DISTINCT aggregate only by its own argument, so that one is not wrapped.
          return `coalesce(STRING_AGG(${prefix}${c.distinct ? value : `SF_TEXT(${value})`}, ${separator}${order}), '')`
        }
        // ARRAY_AGG leaves NULLs out.
        return `coalesce(to_json(LIST(${prefix}${value}${order}) FILTER (WHERE ${value} IS NOT NULL)), '[]'::JSON)`
      }
      case 'FLATTEN': return this.flatten(c.args)
      case 'DATE_TRUNC': case 'DATE_PART': {
        if (a.length !== 2) break
        const text = `${w}(${part(0)}, ${arg(1)})`
        return w === 'DATE_TRUNC' && this.keepsDate(a[1], this.partName(a[0])) ? `CAST(${text} AS DATE)` : text
      }
      case 'TO_NUMBER': case 'TO_DECIMAL': case 'TO_NUMERIC': {
        // Precision and scale must be literals for a DuckDB type, so they become a cast.
        const nums = a.slice(1)
        if (a.length >= 2 && nums.every(n => n.type === 'number')) {
          const text = (n: Expr | undefined, d: string): string => n?.type === 'number' ? n.text : d
          return `CAST(${arg(0)} AS DECIMAL(${text(nums[0], '38')},${text(nums[1], '0')}))`
        }
        break
      }
      case 'TO_VARCHAR': case 'TO_CHAR': case 'TO_DATE': case 'TRY_TO_DATE': case 'TO_TIME': case 'TO_TIMESTAMP':
      case 'TO_TIMESTAMP_NTZ': case 'TO_TIMESTAMP_LTZ': case 'TO_TIMESTAMP_TZ': {
        if (a.length === 1 && (w === 'TO_TIMESTAMP' || w === 'TO_TIMESTAMP_NTZ')) return `SF_EPOCH_OR_TIMESTAMP(${arg(0)})`
        if (a.length === 1 && w === 'TRY_TO_DATE') return `TRY_CAST(${arg(0)} AS DATE)`
        const f = a[1]
        if (a.length !== 2 || f?.type !== 'string') break
        const fmt = sqlString(strftimeFormat(f.value))
        const x = arg(0)
        const parsed = `${w === 'TRY_TO_DATE' ? 'TRY_STRPTIME' : 'STRPTIME'}(CAST(${x} AS VARCHAR), ${fmt})`
        return {
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
      }
      default: break
    }
    return this.generic(c, FUNCTION_RENAMES[w] ?? w)
  }
}

function pathStep (step: PathStep): string {
  if (step.kind === 'index') return `[${step.index}]`
  if (step.kind === 'key') return /^[A-Za-z_][A-Za-z0-9_]*$/.test(step.name) ? '.' + step.name : '."' + step.name.replace(/"/g, '\\"') + '"'
  return ''
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

function literalOrNull (v: string | null | undefined): string {
  return v === null || v === undefined || v === '' ? 'NULL' : sqlString(v)
}

function kindOf (words: string[]): StatementKind {
  const first = words[0] ?? ''
  const second = words[1] ?? ''
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

/** The leftmost SELECT of a query: its list names the result's columns. */
function leftmostSelect (body: QueryBody): Select | undefined {
  if (body.type === 'select') return body
  if (body.type === 'setop') return leftmostSelect(body.left)
  if (body.type === 'nested') return leftmostSelect(body.query.body)
  return undefined
}

/** Snowflake's column names and OBJECT/ARRAY kinds of the outer SELECT (see Translation.selectNames). */
function selectShape (st: Statement | null, text: string): Pick<Translation, 'selectNames' | 'selectKinds'> {
  if (st?.type !== 'query') return { selectNames: undefined, selectKinds: undefined }
  const select = leftmostSelect(st.query.body)
  if (select === undefined || select.items.some(i => i.expr.type === 'star')) return { selectNames: undefined, selectKinds: undefined }
  const selectKinds = select.items.map(({ expr }) => {
    if (expr.type === 'cast') return VALUE_KINDS[expr.to.name] ?? null
    if (expr.type === 'call' && expr.name.length === 1 && expr.over === undefined) return VALUE_KINDS[identName(expr.name[0] as Ident)] ?? null
    return null
  })
  const selectNames = select.items.map(({ expr, alias }) =>
    alias !== undefined || expr.type === 'name' ? null : text.slice(expr.span[0], expr.span[1]).toUpperCase())
  return { selectNames, selectKinds }
}

export function translate (sqlText: string, ctx: TranslateContext): Translation {
  const all = significantTokens(sqlText)
  const words = all.map(t => t.up)
  let n = all.length
  while (n > 0 && all[n - 1]?.up === ';') n--
  const toks = all.slice(0, n)
  const printer = new Printer(ctx, sqlText)
  // More than one statement: the engine refuses it from `words` (000008) before anything runs.
  const single = !toks.some(t => t.up === ';')
  const parsed = single ? parse(sqlText, toks) : { statement: null, paramCount: 0 }
  let sql: string
  let paramCount = parsed.paramCount
  if (parsed.statement !== null) sql = printer.statement(parsed.statement)
  else {
    const raw = passThrough(toks, {
      variable: name => printer.expr({ type: 'variable', name, span: [0, 0] }),
      type: (name, params) => name === 'TIMESTAMP_TZ' ? TIMESTAMP_TZ_TYPE : printer.type({ name, params }),
      quoted: name => printer.quotedNames.add(name)
    })
    sql = raw.sql
    paramCount = raw.paramCount
  }
  return {
    sql,
    ...selectShape(parsed.statement, sqlText),
    waitMs: printer.waitMs,
    kind: kindOf(words),
    words,
    paramCount,
    usesHistory: printer.usesHistory,
    quotedNames: printer.quotedNames
  }
}
