// Which expressions of the tree are DATEs. Snowflake's DATEADD, DATE_TRUNC and ADD_MONTHS answer a DATE for a DATE
// and a part of a day or longer; DuckDB answers a TIMESTAMP, so translate.ts casts back when this says DATE.
// A column is a DATE when the relation it comes from (a CTE, a subquery, VALUES) computes one, or, for a table,
// when the catalog has a DATE column of that name.
import type { Expr, FromItem, Ident, Query, QueryBody, Select } from './ast.js'

type Columns = Map<string, boolean>

export class Scope {
  constructor (
    readonly parent: Scope | undefined,
    /** CTEs visible here: name → their columns. */
    readonly ctes: Map<string, Columns>,
    /** Relations of the FROM clause: alias → their columns (absent: a table, known by the catalog only). */
    readonly relations: Map<string, Columns>
  ) {}

  cte (name: string): Columns | undefined {
    return this.ctes.get(name) ?? this.parent?.cte(name)
  }
}

export const DAY_OR_LONGER = new Set(['year', 'quarter', 'month', 'week', 'day'])

/** Functions whose result is a DATE whatever their arguments. */
const DATE_FUNCTIONS = new Set(['TO_DATE', 'DATE', 'TRY_TO_DATE', 'CURRENT_DATE', 'DATE_FROM_PARTS', 'DATEFROMPARTS', 'LAST_DAY', 'PREVIOUS_DAY', 'NEXT_DAY'])
/** Functions that answer one of their arguments: a DATE when every non-NULL one is. */
const PASS_THROUGH: Record<string, (n: number) => boolean> = {
  NVL: () => true,
  IFNULL: () => true,
  COALESCE: () => true,
  GREATEST: () => true,
  LEAST: () => true,
  MIN: () => true,
  MAX: () => true,
  ANY_VALUE: () => true,
  NULLIF: n => n === 0,
  IFF: n => n > 0,
  NVL2: n => n > 0,
  DECODE: n => n > 1 && n % 2 === 0
}

export const identName = (i: Ident): string => i.quoted ? i.text.slice(1, -1).replace(/""/g, '"') : i.text.toUpperCase()

export class DateInference {
  constructor (
    private readonly catalog: ReadonlySet<string> | undefined,
    /** The statement text, for the names of unaliased select items. */
    private readonly text: string,
    /** The DATE part a call's first argument names, as translate.ts reads it. */
    private readonly part: (e: Expr) => string
  ) {}

  isDate (e: Expr, scope: Scope | undefined): boolean {
    switch (e.type) {
      case 'cast': case 'typed': return e.to.name === 'DATE'
      case 'paren': return this.isDate(e.expr, scope)
      case 'subquery': return this.first(this.outputs(e.query, scope)) === true
      case 'case': {
        const results = [...e.whens.map(([, then]) => then), ...(e.else === undefined ? [] : [e.else])].filter(r => r.type !== 'null')
        return results.length > 0 && results.every(r => this.isDate(r, scope))
      }
      case 'binary':
        return (e.op === '+' || e.op === '-') && this.isDate(e.left, scope) && !this.isDate(e.right, scope) && e.right.type !== 'interval'
      case 'name': return this.column(e.parts, scope)
      case 'call': return this.callIsDate(e, scope)
      default: return false
    }
  }

  private callIsDate (e: Expr & { type: 'call' }, scope: Scope | undefined): boolean {
    if (e.name.length !== 1 || e.over !== undefined) return false
    const name = identName(e.name[0] as Ident)
    if (DATE_FUNCTIONS.has(name)) return true
    const args = e.args.map(a => a.value)
    switch (name) {
      case 'DATEADD': case 'TIMESTAMPADD': case 'DATE_TRUNC':
        return args.length >= 2 && DAY_OR_LONGER.has(this.part(args[0] as Expr)) && this.isDate(args[args.length - 1] as Expr, scope)
      case 'ADD_MONTHS': return args[0] !== undefined && this.isDate(args[0], scope)
      default: {
        const counts = PASS_THROUGH[name]
        if (counts === undefined) return false
        const results = args.filter((a, i) => counts(i) && a.type !== 'null')
        return results.length > 0 && results.every(a => this.isDate(a, scope))
      }
    }
  }

  private column (parts: Ident[], scope: Scope | undefined): boolean {
    const names = parts.map(identName)
    const col = names[names.length - 1] as string
    if (names.length === 1 && col === 'CURRENT_DATE') return true
    for (let s = scope; s !== undefined; s = s.parent) {
      if (names.length >= 2) {
        const rel = s.relations.get(names[names.length - 2] as string)
        if (rel !== undefined) return rel.get(col) ?? false
        continue
      }
      for (const rel of s.relations.values()) {
        const known = rel.get(col)
        if (known !== undefined) return known
      }
    }
    return this.catalog?.has(col) === true
  }

  private first (columns: Columns): boolean | undefined {
    return columns.values().next().value
  }

  /** The scope of a query's WITH clause: each CTE sees those before it. */
  withCtes (q: Query, outer: Scope | undefined): Scope | undefined {
    if (q.with === undefined) return outer
    const scope = new Scope(outer, new Map(), new Map())
    for (const cte of q.with.ctes) {
      const cols = this.outputs(cte.query, scope)
      const named = cte.columns === undefined ? cols : rename(cols, cte.columns)
      scope.ctes.set(identName(cte.name), named)
    }
    return scope
  }

  /** The scope of a SELECT: the relations of its FROM clause. */
  forSelect (s: Select, outer: Scope | undefined): Scope {
    const scope = new Scope(outer, new Map(), new Map())
    for (const item of s.from) this.addRelations(item, scope, outer)
    return scope
  }

  private addRelations (item: FromItem, scope: Scope, outer: Scope | undefined): void {
    const set = (alias: Ident | undefined, fallback: string | undefined, cols: Columns | undefined, columns?: Ident[]): void => {
      // An unnamed subquery's columns are still found by unqualified names.
      const name = alias === undefined ? fallback ?? `#${scope.relations.size}` : identName(alias)
      if (cols !== undefined) scope.relations.set(name, columns === undefined ? cols : rename(cols, columns))
    }
    switch (item.type) {
      case 'table': {
        const last = identName(item.name[item.name.length - 1] as Ident)
        set(item.alias, last, item.name.length === 1 ? outer?.cte(last) : undefined, item.columns)
        break
      }
      case 'derived': set(item.alias, undefined, this.outputs(item.query, item.lateral ? scope : outer), item.columns); break
      case 'values': set(item.alias, undefined, this.valuesColumns(item.rows, outer), item.columns); break
      case 'join': this.addRelations(item.left, scope, outer); this.addRelations(item.right, scope, outer); break
      case 'parens': this.addRelations(item.item, scope, outer); break
      default: break
    }
  }

  private valuesColumns (rows: Expr[][], scope: Scope | undefined): Columns {
    return new Map((rows[0] ?? []).map((e, i) => [`COLUMN${i + 1}`, this.isDate(e, scope)]))
  }

  /** A query's result columns by name, each with whether it is a DATE. */
  outputs (q: Query, outer: Scope | undefined): Columns {
    return this.bodyOutputs(q.body, this.withCtes(q, outer))
  }

  private bodyOutputs (body: QueryBody, outer: Scope | undefined): Columns {
    switch (body.type) {
      case 'setop': return this.bodyOutputs(body.left, outer)
      case 'nested': return this.outputs(body.query, outer)
      case 'values': return this.valuesColumns(body.rows, outer)
      case 'select': {
        const scope = this.forSelect(body, outer)
        const cols: Columns = new Map()
        for (const item of body.items) {
          if (item.expr.type === 'star') {
            for (const rel of scope.relations.values()) for (const [k, v] of rel) cols.set(k, v)
            continue
          }
          const e = item.expr
          const name = item.alias !== undefined
            ? identName(item.alias)
            : e.type === 'name' ? identName(e.parts[e.parts.length - 1] as Ident) : this.text.slice(e.span[0], e.span[1]).toUpperCase()
          cols.set(name, this.isDate(e, scope))
        }
        return cols
      }
    }
  }
}

function rename (cols: Columns, names: Ident[]): Columns {
  const values = [...cols.values()]
  return new Map(names.map((n, i) => [identName(n), values[i] ?? false]))
}
