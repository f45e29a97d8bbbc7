// Snowflake SQL → tree (ast.ts) for the statements the engine translates: queries, INSERT, UPDATE, DELETE, MERGE,
// CREATE TABLE and CREATE VIEW, CALL. Expressions are parsed by precedence (Pratt); a malformed statement fails with
// Snowflake's syntax error (001003) at the offending token. parseStatement answers null for the statements it leaves
// to the pass-through printer (SHOW, DROP, ALTER, multi-table INSERT…).
import { SnowflakeError } from '../contract.js'
import { isTrivia, stringValue, tokenize, type TokenKind } from '../lexer.js'
import type {
  Arg, Assignment, ColumnDef, CreatePrefix, Cte, Expr, FromItem, GroupBy, Ident, MergeWhen, OrderItem, PathStep, Query,
  QueryBody, Sample, Select, SelectItem, Span, StarModifiers, Statement, TypeName, WindowSpec
} from './ast.js'

export interface Tok {
  kind: TokenKind
  text: string
  /** Upper-cased text of a word; the text itself otherwise. */
  up: string
  start: number
  end: number
}

/** Significant tokens with their offsets in the text. */
export function significantTokens (sql: string): Tok[] {
  const out: Tok[] = []
  let at = 0
  for (const t of tokenize(sql)) {
    const start = at
    at += t.text.length
    if (isTrivia(t)) continue
    out.push({ kind: t.kind, text: t.text, up: t.kind === 'word' ? t.text.toUpperCase() : t.text, start, end: at })
  }
  return out
}

/** Words that end an expression or a FROM item, so they are never taken for a name or an alias. */
const RESERVED = new Set(('SELECT FROM WHERE GROUP ORDER BY LIMIT OFFSET FETCH QUALIFY HAVING UNION EXCEPT MINUS INTERSECT ' +
  'INTO WINDOW ON USING JOIN LEFT RIGHT FULL INNER CROSS NATURAL OUTER LATERAL SAMPLE TABLESAMPLE WHEN THEN ELSE END ' +
  'AND OR NOT IS IN LIKE ILIKE RLIKE REGEXP BETWEEN AS ASC DESC OVER WITHIN SET VALUES WITH CASE EXISTS ASOF ' +
  'PIVOT UNPIVOT MATCH_RECOGNIZE CONNECT DISTINCT ALL ANY SOME NULL TRUE FALSE MATCHED RETURNING').split(' '))

const CREATE_MODIFIERS = new Set(['TEMPORARY', 'TEMP', 'TRANSIENT', 'LOCAL', 'GLOBAL', 'VOLATILE', 'SECURE', 'MATERIALIZED', 'RECURSIVE'])
const COMPARISONS = new Set(['=', '<>', '!=', '<', '>', '<=', '>='])
const TYPED_LITERALS = new Set(['DATE', 'TIME', 'TIMESTAMP', 'TIMESTAMP_NTZ', 'TIMESTAMP_LTZ', 'TIMESTAMP_TZ', 'DATETIME'])

/** Binding powers: OR < AND < NOT < comparisons < || < + - < * / % < unary < postfix (:: : [ ]). */
const BP = { or: 1, and: 2, not: 3, compare: 4, concat: 5, add: 6, mul: 7, unary: 8, postfix: 9 }

class ParseError extends Error {
  constructor (readonly at: Tok | undefined) { super('syntax error') }
}

/** Snowflake's message for a syntax error at a token (its line and 0-based position in that line). */
export function syntaxError (sql: string, at: Tok | undefined): SnowflakeError {
  const offset = at?.start ?? sql.trimEnd().length
  const before = sql.slice(0, offset)
  const line = before.split('\n').length
  const pos = offset - (before.lastIndexOf('\n') + 1)
  return new SnowflakeError('001003', '42000',
    `SQL compilation error:\nsyntax error line ${line} at position ${pos} unexpected '${at?.text ?? '<EOF>'}'.`)
}

export class Parser {
  private pos = 0
  private params = 0
  /** `?` binds are numbered in the order they are written. */
  private seq = 0

  constructor (private readonly toks: Tok[], private readonly sql: string) {}

  /** Highest `?`/`:N` bind number seen. */
  get paramCount (): number { return this.params }

  // ---- token helpers
  private peek (k = 0): Tok | undefined { return this.toks[this.pos + k] }
  private up (k = 0): string { return this.peek(k)?.up ?? '' }
  private is (...words: string[]): boolean { return words.includes(this.up()) }
  private fail (): never { throw new ParseError(this.peek()) }
  private accept (...words: string[]): boolean {
    if (!this.is(...words)) return false
    this.pos++
    return true
  }

  private expect (word: string): Tok {
    if (this.up() !== word) this.fail()
    return this.toks[this.pos++] as Tok
  }

  private span (from: number): Span {
    const first = this.toks[from]
    const last = this.toks[this.pos - 1]
    return [first?.start ?? 0, last?.end ?? first?.start ?? 0]
  }

  private isName (k = 0): boolean {
    const t = this.peek(k)
    return t !== undefined && (t.kind === 'quoted' || (t.kind === 'word' && !RESERVED.has(t.up)))
  }

  private ident (): Ident {
    const t = this.peek()
    if (t === undefined || (t.kind !== 'word' && t.kind !== 'quoted')) this.fail()
    this.pos++
    return { text: t.text, quoted: t.kind === 'quoted' }
  }

  /** `a.b.c` */
  private qualifiedName (): Ident[] {
    const parts = [this.ident()]
    while (this.up() === '.' && (this.peek(1)?.kind === 'word' || this.peek(1)?.kind === 'quoted')) {
      this.pos++
      parts.push(this.ident())
    }
    return parts
  }

  private list<T> (item: () => T): T[] {
    const out = [item()]
    while (this.accept(',')) out.push(item())
    return out
  }

  private parenList<T> (item: () => T): T[] {
    this.expect('(')
    if (this.accept(')')) return []
    const out = this.list(item)
    this.expect(')')
    return out
  }

  private guard<T> (f: () => T): T {
    try {
      return f()
    } catch (err) {
      if (err instanceof ParseError) throw syntaxError(this.sql, err.at)
      throw err
    }
  }

  // ---- statements
  /** The statement, or null when it is one the parser leaves to the pass-through printer. */
  statement (): Statement | null {
    return this.guard(() => {
      const st = this.parseStatement()
      if (st !== null && this.pos < this.toks.length) this.fail()
      return st
    })
  }

  /** One expression (the whole text). */
  expression (): Expr {
    return this.guard(() => {
      const e = this.expr()
      if (this.pos < this.toks.length) this.fail()
      return e
    })
  }

  private parseStatement (): Statement | null {
    switch (this.up()) {
      case 'SELECT': case 'WITH': case 'VALUES': case '(':
        return { type: 'query', query: this.query() }
      case 'INSERT': return this.insert()
      case 'UPDATE': return this.update()
      case 'DELETE': return this.delete()
      case 'MERGE': return this.merge()
      case 'CREATE': return this.create()
      case 'CALL': {
        this.pos++
        const start = this.pos
        const name = this.qualifiedName()
        return { type: 'call', name, call: this.call(name, start) }
      }
      default: return null
    }
  }

  private insert (): Statement | null {
    this.expect('INSERT')
    const overwrite = this.accept('OVERWRITE')
    if (this.is('ALL', 'FIRST')) return null // multi-table INSERT: multi-insert.ts
    this.expect('INTO')
    const table = this.qualifiedName()
    let columns: Ident[] | undefined
    if (this.up() === '(' && !this.is('SELECT') && !['SELECT', 'WITH'].includes(this.up(1))) columns = this.parenList(() => this.ident())
    return { type: 'insert', overwrite, table, columns, source: this.query() }
  }

  private update (): Statement {
    this.expect('UPDATE')
    const table = this.tableFactor()
    this.expect('SET')
    const sets = this.list(() => this.assignment())
    const from = this.accept('FROM') ? this.fromList() : []
    const where = this.accept('WHERE') ? this.expr() : undefined
    return { type: 'update', table, sets, from, where }
  }

  private assignment (): Assignment {
    const column = this.qualifiedName()
    this.expect('=')
    return { column, value: this.expr() }
  }

  private delete (): Statement {
    this.expect('DELETE')
    this.expect('FROM')
    const table = this.tableFactor()
    const using = this.accept('USING') ? this.fromList() : []
    const where = this.accept('WHERE') ? this.expr() : undefined
    return { type: 'delete', table, using, where }
  }

  private merge (): Statement {
    this.expect('MERGE')
    this.expect('INTO')
    const target = this.tableFactor()
    this.expect('USING')
    const source = this.tableFactor()
    this.expect('ON')
    const on = this.expr()
    const whens: MergeWhen[] = []
    while (this.accept('WHEN')) {
      const matched = !this.accept('NOT')
      this.expect('MATCHED')
      let bySource: boolean | undefined
      if (this.accept('BY')) bySource = this.expect(this.is('SOURCE') ? 'SOURCE' : 'TARGET').up === 'SOURCE'
      const condition = this.accept('AND') ? this.expr() : undefined
      this.expect('THEN')
      if (this.accept('DELETE')) whens.push({ matched, bySource, condition, action: { type: 'delete' } })
      else if (this.accept('UPDATE')) {
        this.expect('SET')
        whens.push({ matched, bySource, condition, action: { type: 'update', sets: this.list(() => this.assignment()) } })
      } else {
        this.expect('INSERT')
        const columns = this.up() === '(' ? this.parenList(() => this.ident()) : undefined
        const values = this.accept('VALUES') ? this.parenList(() => this.expr()) : undefined
        whens.push({ matched, bySource, condition, action: { type: 'insert', columns, values } })
      }
    }
    if (whens.length === 0) this.fail()
    return { type: 'merge', target, source, on, whens }
  }

  private create (): Statement | null {
    this.expect('CREATE')
    const create: CreatePrefix = { orReplace: false, modifiers: [], ifNotExists: false }
    if (this.accept('OR')) { this.expect('REPLACE'); create.orReplace = true }
    while (CREATE_MODIFIERS.has(this.up())) create.modifiers.push((this.toks[this.pos++] as Tok).up)
    const kind = this.up()
    if (kind !== 'TABLE' && kind !== 'VIEW') return null
    this.pos++
    if (this.accept('IF')) { this.expect('NOT'); this.expect('EXISTS'); create.ifNotExists = true }
    const name = this.qualifiedName()
    if (kind === 'VIEW') {
      const columns = this.up() === '(' ? this.parenList(() => this.ident()) : undefined
      this.tableOptions()
      this.expect('AS')
      return { type: 'createView', create, name, columns, query: this.query() }
    }
    if (this.is('LIKE', 'CLONE')) return null
    let columns: ColumnDef[] | undefined
    const constraints: string[] = []
    if (this.up() === '(') {
      this.pos++
      columns = []
      do {
        if (this.is('PRIMARY', 'UNIQUE', 'FOREIGN', 'CONSTRAINT', 'CHECK')) constraints.push(this.words())
        else columns.push(this.columnDef())
      } while (this.accept(','))
      this.expect(')')
    }
    this.tableOptions()
    const as = this.accept('AS') ? this.query() : undefined
    if (columns === undefined && as === undefined) this.fail()
    return { type: 'createTable', create, name, columns, constraints, as }
  }

  /** Table and view properties DuckDB has no use for: `COMMENT = '…'`, `CLUSTER BY (…)`, `COPY GRANTS`. */
  private tableOptions (): void {
    for (;;) {
      if (this.is('COMMENT') && this.up(1) === '=') this.pos += 3
      else if (this.is('CLUSTER') && this.up(1) === 'BY') { this.pos += 2; this.parenList(() => this.expr()) } else if (this.is('COPY') && this.up(1) === 'GRANTS') this.pos += 2
      else return
    }
  }

  private columnDef (): ColumnDef {
    const name = this.ident()
    const def: ColumnDef = { name, options: [] }
    if (this.up() !== ',' && this.up() !== ')') def.dataType = this.typeName()
    while (this.up() !== ',' && this.up() !== ')' && this.pos < this.toks.length) {
      if (this.accept('DEFAULT')) def.options.push({ default: this.expr(BP.compare) })
      else def.options.push({ words: this.words() })
    }
    return def
  }

  /** Words up to the next `,` or `)` at this depth (constraints), printed as written (upper-cased). */
  private words (): string {
    const out: string[] = []
    let depth = 0
    for (;;) {
      const t = this.peek()
      if (t === undefined) break
      if ((t.up === ',' || t.up === ')') && depth === 0) break
      if (t.up === 'DEFAULT' && depth === 0 && out.length > 0) break
      if (t.up === '(') depth++
      if (t.up === ')') depth--
      out.push(t.kind === 'word' ? t.up : t.text)
      this.pos++
    }
    if (out.length === 0) this.fail()
    return out.join(' ').replace(/ \( /g, '(').replace(/ \)/g, ')').replace(/ , /g, ', ')
  }

  // ---- queries
  query (): Query {
    let withClause: Query['with']
    if (this.accept('WITH')) {
      const recursive = this.accept('RECURSIVE')
      withClause = { recursive, ctes: this.list(() => this.cte()) }
    }
    const body = this.setExpr()
    const q: Query = { with: withClause, body, orderBy: [] }
    if (this.is('ORDER') && this.up(1) === 'BY') { this.pos += 2; q.orderBy = this.list(() => this.orderItem()) }
    if (this.accept('LIMIT')) {
      q.limit = this.expr()
      if (this.accept('OFFSET')) q.offset = this.expr()
    }
    if (this.accept('OFFSET')) {
      q.offset = this.expr()
      this.accept('ROW', 'ROWS')
    }
    if (this.accept('FETCH')) {
      this.accept('FIRST', 'NEXT')
      q.limit = this.expr()
      this.accept('ROW', 'ROWS')
      this.accept('ONLY')
    }
    return q
  }

  private cte (): Cte {
    const name = this.ident()
    const columns = this.up() === '(' ? this.parenList(() => this.ident()) : undefined
    this.expect('AS')
    this.expect('(')
    const query = this.query()
    this.expect(')')
    return { name, columns, query }
  }

  private setExpr (): QueryBody {
    let left = this.setTerm()
    for (;;) {
      let op: string
      if (this.accept('UNION')) op = 'UNION'
      else if (this.accept('EXCEPT', 'MINUS')) op = 'EXCEPT'
      else if (this.accept('INTERSECT')) op = 'INTERSECT'
      else return left
      if (this.accept('ALL')) op += ' ALL'
      else if (this.accept('DISTINCT')) op += ' DISTINCT'
      if (this.is('BY') && this.up(1) === 'NAME') { this.pos += 2; op += ' BY NAME' }
      left = { type: 'setop', op, left, right: this.setTerm() }
    }
  }

  private setTerm (): QueryBody {
    if (this.is('SELECT')) return this.select()
    if (this.accept('VALUES')) return { type: 'values', rows: this.valuesRows() }
    if (this.accept('(')) {
      const query = this.query()
      this.expect(')')
      return { type: 'nested', query }
    }
    return this.fail()
  }

  private valuesRows (): Expr[][] {
    return this.list(() => this.parenList(() => this.expr()))
  }

  private select (): Select {
    this.expect('SELECT')
    const s: Select = { type: 'select', distinct: false, items: [], from: [], windows: [] }
    if (this.accept('DISTINCT')) s.distinct = true
    else this.accept('ALL')
    if (this.accept('TOP')) s.top = this.primary()
    s.items = this.list(() => this.selectItem())
    if (this.accept('FROM')) s.from = this.fromList()
    if (this.accept('WHERE')) s.where = this.expr()
    if (this.is('GROUP') && this.up(1) === 'BY') {
      this.pos += 2
      s.groupBy = this.groupBy()
    }
    if (this.accept('HAVING')) s.having = this.expr()
    if (this.accept('QUALIFY')) s.qualify = this.expr()
    if (this.accept('WINDOW')) {
      s.windows = this.list(() => {
        const name = this.ident()
        this.expect('AS')
        return { name, spec: this.windowSpec() }
      })
    }
    return s
  }

  private groupBy (): GroupBy {
    if (this.accept('ALL')) return { modifier: 'ALL', items: [] }
    if (this.is('ROLLUP', 'CUBE') && this.up(1) === '(') {
      const modifier = (this.toks[this.pos++] as Tok).up
      return { modifier, items: this.parenList(() => this.expr()) }
    }
    if (this.is('GROUPING') && this.up(1) === 'SETS') {
      this.pos += 2
      return { modifier: 'GROUPING SETS', items: this.parenList(() => this.expr()) }
    }
    return { items: this.list(() => this.expr()) }
  }

  private selectItem (): SelectItem {
    const expr = this.expr()
    if (this.accept('AS')) return { expr, alias: this.ident() }
    if (this.isName()) return { expr, alias: this.ident() }
    if (this.peek()?.kind === 'string' && expr.type !== 'star') { // select 1 'one' is not Snowflake; leave it to the error
      return this.fail()
    }
    return { expr }
  }

  private fromList (): FromItem[] {
    return this.list(() => this.joinChain())
  }

  private joinChain (): FromItem {
    let left = this.tableFactor()
    for (;;) {
      const save = this.pos
      let kind = ''
      if (this.accept('NATURAL')) kind = 'NATURAL '
      if (this.accept('INNER')) kind += 'INNER'
      else if (this.accept('CROSS')) kind += 'CROSS'
      else if (this.accept('ASOF')) kind += 'ASOF'
      else if (this.is('LEFT', 'RIGHT', 'FULL')) {
        kind += (this.toks[this.pos++] as Tok).up
        if (this.accept('OUTER')) kind += ' OUTER'
      }
      if (!this.accept('JOIN')) {
        this.pos = save
        return left
      }
      const right = this.tableFactor()
      const join: FromItem = { type: 'join', kind: kind.trim(), left, right }
      if (this.accept('ON')) join.on = this.expr()
      else if (this.accept('USING')) join.using = this.parenList(() => this.ident())
      left = join
    }
  }

  private startsQuery (k: number): boolean {
    return ['SELECT', 'WITH', 'VALUES'].includes(this.up(k)) || (this.up(k) === '(' && this.startsQuery(k + 1))
  }

  private tableFactor (): FromItem {
    const lateral = this.accept('LATERAL')
    let item: FromItem
    if (this.is('TABLE') && this.up(1) === '(') {
      this.pos += 2
      const start = this.pos
      const name = this.qualifiedName()
      const call = this.call(name, start)
      this.expect(')')
      item = { type: 'function', call, lateral, table: true }
    } else if (this.accept('VALUES')) {
      item = { type: 'values', rows: this.valuesRows() }
    } else if (this.up() === '(' && this.startsQuery(1)) {
      this.pos++
      const query = this.query()
      this.expect(')')
      item = { type: 'derived', query, lateral }
    } else if (this.up() === '(') {
      this.pos++
      const inner = this.joinChain()
      this.expect(')')
      item = { type: 'parens', item: inner }
    } else {
      const start = this.pos
      const name = this.qualifiedName()
      if (this.up() === '(') item = { type: 'function', call: this.call(name, start), lateral, table: false }
      else item = { type: 'table', name }
    }
    if (item.type === 'table' || item.type === 'derived') item.sample = this.sample()
    if (this.accept('AS')) item.alias = this.ident()
    else if (this.isName()) item.alias = this.ident()
    if (item.alias !== undefined && this.up() === '(' && item.type !== 'parens') item.columns = this.parenList(() => this.ident())
    if ((item.type === 'table' || item.type === 'derived') && item.sample === undefined) item.sample = this.sample()
    return item
  }

  /** `SAMPLE | TABLESAMPLE [BERNOULLI | ROW | SYSTEM | BLOCK] (p | n ROWS) [SEED | REPEATABLE (s)]` */
  private sample (): Sample | undefined {
    if (!this.accept('SAMPLE', 'TABLESAMPLE')) return undefined
    this.accept('BERNOULLI', 'ROW', 'SYSTEM', 'BLOCK')
    this.expect('(')
    const amount = this.expr()
    const rows = this.accept('ROWS')
    this.expect(')')
    let seed: Expr | undefined
    if (this.accept('SEED', 'REPEATABLE')) {
      this.expect('(')
      seed = this.expr()
      this.expect(')')
    }
    return { amount, rows, seed }
  }

  private orderItem (): OrderItem {
    const item: OrderItem = { expr: this.expr() }
    if (this.is('ASC', 'DESC')) item.direction = (this.toks[this.pos++] as Tok).up as 'ASC' | 'DESC'
    if (this.accept('NULLS')) item.nulls = this.expect(this.is('FIRST') ? 'FIRST' : 'LAST').up as 'FIRST' | 'LAST'
    return item
  }

  private windowSpec (): WindowSpec {
    const spec: WindowSpec = { partitionBy: [], orderBy: [] }
    this.expect('(')
    if (this.isName() && !this.is('PARTITION', 'ROWS', 'RANGE', 'GROUPS')) spec.ref = this.ident()
    if (this.is('PARTITION') && this.up(1) === 'BY') { this.pos += 2; spec.partitionBy = this.list(() => this.expr()) }
    if (this.is('ORDER') && this.up(1) === 'BY') { this.pos += 2; spec.orderBy = this.list(() => this.orderItem()) }
    if (this.is('ROWS', 'RANGE', 'GROUPS')) {
      const words: string[] = []
      while (this.up() !== ')' && this.pos < this.toks.length) {
        const t = this.toks[this.pos++] as Tok
        words.push(t.kind === 'word' ? t.up : t.text)
      }
      spec.frame = words.join(' ')
    }
    this.expect(')')
    return spec
  }

  // ---- types
  typeName (): TypeName {
    const t = this.peek()
    if (t === undefined || (t.kind !== 'word' && t.kind !== 'quoted')) this.fail()
    this.pos++
    let name = t.kind === 'quoted' ? t.text : t.up
    if (name === 'DOUBLE' && this.accept('PRECISION')) name = 'DOUBLE PRECISION'
    if (name === 'CHARACTER' && this.accept('VARYING')) name = 'CHARACTER VARYING'
    const params: string[] = []
    if (this.up() === '(') {
      this.pos++
      let depth = 0
      let current: string[] = []
      while (this.pos < this.toks.length) {
        const p = this.toks[this.pos++] as Tok
        if (p.up === '(') depth++
        if (p.up === ')' && depth-- === 0) break
        if (p.up === ',' && depth === 0) { params.push(current.join(' ')); current = [] } else current.push(p.kind === 'word' ? p.up : p.text)
      }
      params.push(current.join(' '))
    }
    if ((name === 'TIMESTAMP' || name === 'TIME') && (this.is('WITH', 'WITHOUT')) && this.up(1) === 'TIME' && this.up(2) === 'ZONE') {
      name += this.up() === 'WITH' ? ' WITH TIME ZONE' : ''
      this.pos += 3
    }
    return { name, params }
  }

  // ---- expressions
  expr (min = 0): Expr {
    const start = this.pos
    let left = this.prefix()
    for (;;) {
      const op = this.up()
      const t = this.peek()
      if (t === undefined) return left
      if (op === 'OR' || op === 'AND') {
        const bp = op === 'OR' ? BP.or : BP.and
        if (bp <= min) return left
        this.pos++
        const right = this.expr(bp)
        left = { type: 'binary', op, left, right, span: this.span(start) }
        continue
      }
      const negated = op === 'NOT' && ['LIKE', 'ILIKE', 'RLIKE', 'REGEXP', 'IN', 'BETWEEN'].includes(this.up(1))
      const cmp = negated ? this.up(1) : op
      if (COMPARISONS.has(cmp) || ['IS', 'LIKE', 'ILIKE', 'RLIKE', 'REGEXP', 'IN', 'BETWEEN'].includes(cmp)) {
        if (BP.compare <= min) return left
        this.pos += negated ? 2 : 1
        left = this.comparison(cmp, negated, left, start)
        continue
      }
      if (op === '||' || op === '+' || op === '-' || op === '*' || op === '/' || op === '%') {
        const bp = op === '||' ? BP.concat : op === '+' || op === '-' ? BP.add : BP.mul
        if (bp <= min) return left
        this.pos++
        const right = this.expr(bp)
        left = { type: 'binary', op, left, right, span: this.span(start) }
        continue
      }
      if (op === '::') {
        this.pos++
        left = { type: 'cast', expr: left, to: this.typeName(), style: '::', span: this.span(start) }
        continue
      }
      if (op === ':' && (this.peek(1)?.kind === 'word' || this.peek(1)?.kind === 'quoted' || this.peek(1)?.kind === 'string')) {
        this.pos++
        const k = this.toks[this.pos++] as Tok
        left = this.pathStep(left, { kind: 'key', name: keyName(k) }, start)
        left = this.pathRest(left, start)
        continue
      }
      if (op === '[' && left.type !== 'star') {
        left = this.pathRest(left, start)
        continue
      }
      return left
    }
  }

  private pathStep (base: Expr, step: PathStep, start: number): Expr {
    if (base.type === 'path') return { ...base, steps: [...base.steps, step], span: this.span(start) }
    return { type: 'path', base, steps: [step], span: this.span(start) }
  }

  /** `.key`, `[n]`, `['key']` and `[expr]` steps after a path (or an element access on any value). */
  private pathRest (base: Expr, start: number): Expr {
    let e = base
    for (;;) {
      const next = this.peek(1)
      if (this.up() === '.' && e.type === 'path' && next !== undefined && (next.kind === 'word' || next.kind === 'quoted')) {
        this.pos += 2
        e = this.pathStep(e, { kind: 'key', name: keyName(next) }, start)
      } else if (this.up() === '[') {
        this.pos++
        const inner = this.expr()
        this.expect(']')
        const step: PathStep = inner.type === 'number' && /^\d+$/.test(inner.text)
          ? { kind: 'index', index: Number(inner.text) }
          : inner.type === 'string' ? { kind: 'key', name: inner.value } : { kind: 'expr', expr: inner }
        e = this.pathStep(e, step, start)
      } else return e
    }
  }

  private comparison (op: string, not: boolean, left: Expr, start: number): Expr {
    if (op === 'IS') {
      const isNot = this.accept('NOT')
      if (this.accept('NULL')) return { type: 'is', not: isNot, left, what: 'NULL', span: this.span(start) }
      if (this.accept('TRUE')) return { type: 'is', not: isNot, left, what: 'TRUE', span: this.span(start) }
      if (this.accept('FALSE')) return { type: 'is', not: isNot, left, what: 'FALSE', span: this.span(start) }
      this.expect('DISTINCT')
      this.expect('FROM')
      return { type: 'is', not: isNot, left, what: 'DISTINCT FROM', right: this.expr(BP.compare), span: this.span(start) }
    }
    if (op === 'IN') {
      this.expect('(')
      if (this.startsQuery(0)) {
        const query = this.query()
        this.expect(')')
        return { type: 'in', not, left, query, span: this.span(start) }
      }
      const list = this.list(() => this.expr())
      this.expect(')')
      return { type: 'in', not, left, list, span: this.span(start) }
    }
    if (op === 'BETWEEN') {
      const low = this.expr(BP.compare)
      this.expect('AND')
      const high = this.expr(BP.compare)
      return { type: 'between', not, left, low, high, span: this.span(start) }
    }
    if ((op === 'LIKE' || op === 'ILIKE') && this.is('ANY', 'ALL', 'SOME') && this.up(1) === '(') {
      const quantifier = (this.toks[this.pos++] as Tok).up === 'ALL' ? 'ALL' : 'ANY'
      const patterns = this.parenList(() => this.expr())
      return { type: 'likeAny', op, quantifier, not, left, patterns, span: this.span(start) }
    }
    if (op === 'LIKE' || op === 'ILIKE' || op === 'RLIKE' || op === 'REGEXP') {
      const pattern = this.expr(BP.compare)
      const escape = this.accept('ESCAPE') ? this.expr(BP.compare) : undefined
      return { type: 'like', op, not, left, pattern, escape, span: this.span(start) }
    }
    if (this.is('ANY', 'ALL', 'SOME') && this.up(1) === '(' && this.startsQuery(2)) {
      const quantifier = (this.toks[this.pos++] as Tok).up
      this.expect('(')
      const query = this.query()
      this.expect(')')
      return { type: 'quantified', op, quantifier, left, query, span: this.span(start) }
    }
    return { type: 'binary', op, left, right: this.expr(BP.compare), span: this.span(start) }
  }

  private prefix (): Expr {
    const start = this.pos
    const t = this.peek()
    if (t === undefined) return this.fail()
    if (t.up === 'NOT') {
      this.pos++
      return { type: 'unary', op: 'NOT', operand: this.expr(BP.not), span: this.span(start) }
    }
    if (t.up === '-' || t.up === '+') {
      this.pos++
      return { type: 'unary', op: t.up, operand: this.expr(BP.unary), span: this.span(start) }
    }
    return this.primary()
  }

  private primary (): Expr {
    const start = this.pos
    const t = this.peek()
    if (t === undefined) return this.fail()
    const done = <E extends Omit<Expr, 'span'>>(e: E): E & { span: Span } => ({ ...e, span: this.span(start) })
    switch (t.kind) {
      case 'string': this.pos++; return done({ type: 'string', value: stringValue(t.text) })
      case 'number': this.pos++; return done({ type: 'number', text: t.text })
      case 'param': {
        this.pos++
        const n = t.text === '?' ? ++this.seq : Number(t.text.slice(1))
        this.params = Math.max(this.params, n)
        return done({ type: 'param', n })
      }
      default: break
    }
    const w = t.up
    const next = this.up(1)
    if (w === '$' && this.peek(1)?.kind === 'word' && this.peek(1)?.start === t.end) {
      this.pos += 2
      return done({ type: 'variable', name: (this.peek(-1) as Tok).up })
    }
    if (w === '*') {
      this.pos++
      return done({ type: 'star', qualifier: [], modifiers: this.starModifiers() })
    }
    if (w === '(') {
      this.pos++
      if (this.startsQuery(0)) {
        const query = this.query()
        this.expect(')')
        return done({ type: 'subquery', query })
      }
      const first = this.expr()
      if (this.accept(',')) {
        const items = [first, ...this.list(() => this.expr())]
        this.expect(')')
        return done({ type: 'tuple', items })
      }
      this.expect(')')
      return done({ type: 'paren', expr: first })
    }
    if (w === '[') {
      this.pos++
      const items = this.up() === ']' ? [] : this.list(() => this.expr())
      this.expect(']')
      return done({ type: 'array', items })
    }
    if (w === '{') {
      this.pos++
      const entries: Array<[Expr, Expr]> = []
      if (this.up() !== '}') {
        do {
          const key = this.primary()
          this.expect(':')
          entries.push([key, this.expr()])
        } while (this.accept(','))
      }
      this.expect('}')
      return done({ type: 'object', entries })
    }
    if (t.kind === 'word') {
      switch (w) {
        case 'NULL': this.pos++; return done({ type: 'null' })
        case 'TRUE': case 'FALSE': this.pos++; return done({ type: 'boolean', value: w === 'TRUE' })
        case 'CASE': return this.caseExpr()
        case 'EXISTS': {
          this.pos++
          this.expect('(')
          const query = this.query()
          this.expect(')')
          return done({ type: 'exists', query })
        }
        case 'CAST': case 'TRY_CAST':
          if (next === '(') {
            this.pos += 2
            const expr = this.expr()
            this.expect('AS')
            const to = this.typeName()
            this.expect(')')
            return done({ type: 'cast', expr, to, style: w })
          }
          break
        case 'INTERVAL':
          if (this.peek(1)?.kind === 'string' || this.peek(1)?.kind === 'number') {
            this.pos++
            return done({ type: 'interval', value: this.primaryWords() })
          }
          break
        case 'EXTRACT':
          if (next === '(' && this.up(3) === 'FROM') {
            this.pos += 2
            const field = (this.toks[this.pos++] as Tok).text
            this.expect('FROM')
            const from = this.expr()
            this.expect(')')
            return done({ type: 'extract', field, from })
          }
          break
        case 'POSITION':
          if (next === '(') {
            const save = this.pos
            this.pos += 2
            const needle = this.expr(BP.compare)
            if (this.accept('IN')) {
              const haystack = this.expr()
              this.expect(')')
              return done({ type: 'position', needle, haystack })
            }
            this.pos = save
          }
          break
        default:
          if (TYPED_LITERALS.has(w) && this.peek(1)?.kind === 'string') {
            this.pos++
            const to = { name: w, params: [] }
            return done({ type: 'typed', to, value: stringValue((this.toks[this.pos++] as Tok).text) })
          }
      }
      if (RESERVED.has(w) && next !== '(') return this.fail()
    } else if (t.kind !== 'quoted') return this.fail()
    if (this.peek(1)?.up === '->' && t.kind === 'word') {
      this.pos += 2
      return done({ type: 'lambda', params: [{ text: t.text, quoted: false }], body: this.expr() })
    }
    const name = this.qualifiedName()
    if (this.up() === '.' && this.up(1) === '*') {
      this.pos += 2
      return done({ type: 'star', qualifier: name, modifiers: this.starModifiers() })
    }
    if (this.up() === '(') return this.call(name, start)
    return done({ type: 'name', parts: name })
  }

  /** INTERVAL's operand: a literal (`'1 day'`) or a number and a unit word (`1 DAY`). */
  private primaryWords (): Expr {
    const value = this.primary()
    if (value.type === 'number' && this.peek()?.kind === 'word' && !RESERVED.has(this.up())) {
      const unit = this.toks[this.pos++] as Tok
      return { type: 'string', value: `${value.text} ${unit.text}`, span: [value.span[0], unit.end] }
    }
    return value
  }

  private starModifiers (): StarModifiers {
    const m: StarModifiers = {}
    for (;;) {
      if (this.accept('EXCLUDE')) m.exclude = this.up() === '(' ? this.parenList(() => this.ident()) : [this.ident()]
      else if (this.is('REPLACE') && this.up(1) === '(') {
        this.pos++
        m.replace = this.parenList(() => {
          const expr = this.expr()
          this.expect('AS')
          return { expr, alias: this.ident() }
        })
      } else if (this.accept('RENAME')) {
        const pair = (): [Ident, Ident] => {
          const a = this.ident()
          this.expect('AS')
          return [a, this.ident()]
        }
        m.rename = this.up() === '(' ? this.parenList(pair) : [pair()]
      } else if (this.is('ILIKE') && this.peek(1)?.kind === 'string') {
        this.pos++
        m.ilike = stringValue((this.toks[this.pos++] as Tok).text)
      } else return m
    }
  }

  private caseExpr (): Expr {
    const start = this.pos
    this.expect('CASE')
    const operand = this.is('WHEN') ? undefined : this.expr()
    const whens: Array<[Expr, Expr]> = []
    while (this.accept('WHEN')) {
      const when = this.expr()
      this.expect('THEN')
      whens.push([when, this.expr()])
    }
    if (whens.length === 0) this.fail()
    const otherwise = this.accept('ELSE') ? this.expr() : undefined
    this.expect('END')
    return { type: 'case', operand, whens, else: otherwise, span: this.span(start) }
  }

  /** A call from its `(`: arguments (named with `=>`), DISTINCT, `*`, IGNORE NULLS, WITHIN GROUP, FILTER, OVER. */
  call (name: Ident[], start: number): Expr & { type: 'call' } {
    this.expect('(')
    const c: Expr & { type: 'call' } = { type: 'call', name, args: [], distinct: false, star: false, span: [0, 0] }
    if (this.up() === '*' && this.up(1) === ')') {
      this.pos++
      c.star = true
    } else if (this.up() !== ')') {
      if (this.accept('DISTINCT')) c.distinct = true
      else this.accept('ALL')
      c.args = this.list((): Arg => {
        const t = this.peek()
        if (t !== undefined && t.kind === 'word' && this.up(1) === '=>') {
          this.pos += 2
          return { name: t.up, value: this.expr() }
        }
        return { value: this.expr() }
      })
      if (this.is('IGNORE', 'RESPECT') && this.up(1) === 'NULLS') {
        c.nulls = (this.toks[this.pos] as Tok).up as 'IGNORE' | 'RESPECT'
        this.pos += 2
      }
      // An ORDER BY inside the call (DuckDB's own `list(x ORDER BY y)`) passes through to DuckDB.
      if (this.is('ORDER') && this.up(1) === 'BY') {
        this.pos += 2
        c.orderBy = this.list(() => this.orderItem())
      }
    }
    this.expect(')')
    if (this.is('IGNORE', 'RESPECT') && this.up(1) === 'NULLS') {
      c.nulls = (this.toks[this.pos] as Tok).up as 'IGNORE' | 'RESPECT'
      this.pos += 2
    }
    if (this.is('WITHIN') && this.up(1) === 'GROUP') {
      this.pos += 2
      this.expect('(')
      this.expect('ORDER')
      this.expect('BY')
      c.withinGroup = this.list(() => this.orderItem())
      this.expect(')')
    }
    if (this.is('FILTER') && this.up(1) === '(') {
      this.pos += 2
      this.expect('WHERE')
      c.filter = this.expr()
      this.expect(')')
    }
    if (this.accept('OVER')) {
      c.over = this.up() === '(' ? this.windowSpec() : { ref: this.ident(), partitionBy: [], orderBy: [] }
    }
    c.span = this.span(start)
    return c
  }
}

/** A path key as written: a word keeps its case (JSON keys are case-sensitive), a "quoted" or 'string' key its value. */
function keyName (t: Tok): string {
  if (t.kind === 'quoted') return t.text.slice(1, -1).replace(/""/g, '"')
  if (t.kind === 'string') return stringValue(t.text)
  return t.text
}

/** Parses one statement; null when the parser leaves it to the pass-through printer. */
export function parse (sql: string, toks = significantTokens(sql)): { statement: Statement | null, paramCount: number } {
  const p = new Parser(toks, sql)
  const statement = p.statement()
  return { statement, paramCount: p.paramCount }
}
