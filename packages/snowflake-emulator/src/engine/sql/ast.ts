// The tree parser.ts builds from Snowflake SQL and translate.ts prints as DuckDB SQL. Nodes keep what the printer
// and the type inference need; `span` is the node's [start, end) in the statement text, for Snowflake's column
// names (an unaliased select item is named after its text as written).

export type Span = [number, number]

/** An identifier as written: `quoted` ones keep their case, others are upper-cased when printed. */
export interface Ident { text: string, quoted: boolean }

export interface TypeName {
  /** Upper-cased name, words joined by one space (`DOUBLE PRECISION`). */
  name: string
  /** Parameters as written: numbers, or printed nested types. */
  params: string[]
}

export interface Arg { name?: string, value: Expr }

export interface OrderItem { expr: Expr, direction?: 'ASC' | 'DESC', nulls?: 'FIRST' | 'LAST' }

export interface WindowSpec {
  /** `OVER w`, or the base window of `OVER (w ORDER BY …)`. */
  ref?: Ident
  partitionBy: Expr[]
  orderBy: OrderItem[]
  /** The frame clause's words as written (`ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW`). */
  frame?: string
}

export type PathStep =
  | { kind: 'key', name: string }
  | { kind: 'index', index: number }
  | { kind: 'expr', expr: Expr }

export type Expr = (
  | { type: 'string', value: string }
  | { type: 'number', text: string }
  | { type: 'boolean', value: boolean }
  | { type: 'null' }
  | { type: 'param', n: number }
  | { type: 'variable', name: string }
  | { type: 'name', parts: Ident[] }
  | { type: 'star', qualifier: Ident[], modifiers: StarModifiers }
  | { type: 'call', name: Ident[], args: Arg[], distinct: boolean, star: boolean, orderBy?: OrderItem[], withinGroup?: OrderItem[], filter?: Expr, over?: WindowSpec, nulls?: 'IGNORE' | 'RESPECT' }
  | { type: 'unary', op: string, operand: Expr }
  | { type: 'binary', op: string, left: Expr, right: Expr }
  | { type: 'like', op: string, not: boolean, left: Expr, pattern: Expr, escape?: Expr }
  | { type: 'likeAny', op: 'LIKE' | 'ILIKE', quantifier: 'ANY' | 'ALL', not: boolean, left: Expr, patterns: Expr[] }
  | { type: 'quantified', op: string, quantifier: string, left: Expr, query: Query }
  | { type: 'in', not: boolean, left: Expr, list?: Expr[], query?: Query }
  | { type: 'between', not: boolean, left: Expr, low: Expr, high: Expr }
  | { type: 'is', not: boolean, left: Expr, what: 'NULL' | 'TRUE' | 'FALSE' | 'DISTINCT FROM', right?: Expr }
  | { type: 'case', operand?: Expr, whens: Array<[Expr, Expr]>, else?: Expr }
  | { type: 'cast', expr: Expr, to: TypeName, style: 'CAST' | 'TRY_CAST' | '::' }
  | { type: 'typed', to: TypeName, value: string }
  | { type: 'interval', value: Expr }
  | { type: 'path', base: Expr, steps: PathStep[] }
  | { type: 'subquery', query: Query }
  | { type: 'exists', query: Query }
  | { type: 'paren', expr: Expr }
  | { type: 'tuple', items: Expr[] }
  | { type: 'array', items: Expr[] }
  | { type: 'object', entries: Array<[Expr, Expr]> }
  | { type: 'extract', field: string, from: Expr }
  | { type: 'position', needle: Expr, haystack: Expr }
  | { type: 'lambda', params: Ident[], body: Expr }
) & { span: Span }

export interface SelectItem { expr: Expr, alias?: Ident }

/** `* EXCLUDE (…) REPLACE (… AS c) RENAME (a AS b) ILIKE '…'`. */
export interface StarModifiers { exclude?: Ident[], replace?: SelectItem[], rename?: Array<[Ident, Ident]>, ilike?: string }

export interface Sample { amount: Expr, rows: boolean, seed?: Expr }

export type FromItem =
  | { type: 'table', name: Ident[], alias?: Ident, columns?: Ident[], sample?: Sample }
  | { type: 'derived', query: Query, lateral: boolean, alias?: Ident, columns?: Ident[], sample?: Sample }
  | { type: 'values', rows: Expr[][], alias?: Ident, columns?: Ident[] }
  | { type: 'function', call: Expr & { type: 'call' }, lateral: boolean, table: boolean, alias?: Ident, columns?: Ident[] }
  | { type: 'join', kind: string, left: FromItem, right: FromItem, on?: Expr, using?: Ident[] }
  | { type: 'parens', item: FromItem, alias?: Ident }

export interface GroupBy {
  /** ALL, ROLLUP, CUBE or GROUPING SETS, as written; undefined for a plain list. */
  modifier?: string
  items: Expr[]
}

export interface Select {
  type: 'select'
  distinct: boolean
  top?: Expr
  items: SelectItem[]
  from: FromItem[]
  where?: Expr
  groupBy?: GroupBy
  having?: Expr
  qualify?: Expr
  windows: Array<{ name: Ident, spec: WindowSpec }>
}

export type QueryBody =
  | Select
  | { type: 'setop', op: string, left: QueryBody, right: QueryBody }
  | { type: 'values', rows: Expr[][] }
  | { type: 'nested', query: Query }

export interface Cte { name: Ident, columns?: Ident[], query: Query }

export interface Query {
  with?: { recursive: boolean, ctes: Cte[] }
  body: QueryBody
  orderBy: OrderItem[]
  limit?: Expr
  offset?: Expr
}

export interface Assignment { column: Ident[], value: Expr }

export type MergeAction =
  | { type: 'update', sets: Assignment[] }
  | { type: 'delete' }
  | { type: 'insert', columns?: Ident[], values?: Expr[] }

export interface MergeWhen { matched: boolean, bySource?: boolean, condition?: Expr, action: MergeAction }

export interface ColumnDef {
  name: Ident
  dataType?: TypeName
  /** Constraints and options after the type; DEFAULT's expression is parsed, other words printed as written. */
  options: Array<{ words: string } | { default: Expr }>
}

export type Statement =
  | { type: 'query', query: Query }
  | { type: 'insert', overwrite: boolean, table: Ident[], columns?: Ident[], source: Query }
  | { type: 'update', table: FromItem, sets: Assignment[], from: FromItem[], where?: Expr }
  | { type: 'delete', table: FromItem, using: FromItem[], where?: Expr }
  | { type: 'merge', target: FromItem, source: FromItem, on: Expr, whens: MergeWhen[] }
  | { type: 'createTable', create: CreatePrefix, name: Ident[], columns?: ColumnDef[], constraints: string[], as?: Query }
  | { type: 'createView', create: CreatePrefix, name: Ident[], columns?: Ident[], query: Query }
  | { type: 'call', name: Ident[], call: Expr & { type: 'call' } }

/** `CREATE [OR REPLACE] [TEMPORARY | TRANSIENT | SECURE …] <kind> [IF NOT EXISTS]`. */
export interface CreatePrefix { orReplace: boolean, modifiers: string[], ifNotExists: boolean }
