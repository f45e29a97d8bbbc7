// The seam between the emulator's SQL engine (DuckDB) and its wire protocol server.
// The protocol layer never touches DuckDB; the engine never touches HTTP.

export type SnowflakeType =
  | 'fixed' | 'real' | 'text' | 'boolean' | 'binary'
  | 'date' | 'time' | 'timestamp_ntz' | 'timestamp_ltz' | 'timestamp_tz'
  | 'variant' | 'object' | 'array'

/** One entry of a result's `rowtype`, exactly as the driver reads it. */
export interface Column {
  name: string
  type: SnowflakeType
  nullable: boolean
  precision: number | null
  scale: number | null
  length: number | null
  byteLength: number | null
  database: string
  schema: string
  table: string
  collation: null
}

/** A row as it travels on the wire: every value a string or null. */
export type WireRow = Array<string | null>

/** A bind as the driver sends it: `{"1": {"type": "TEXT", "value": "x"}}`; arrays in array-binding mode. */
export interface Binding {
  type: string
  value: string | null | Array<string | null>
}

export interface StatementContext {
  queryId: string
  sessionId: number
  database: string | null
  schema: string | null
  warehouse: string | null
  role: string | null
  /** The session's user and account, for CURRENT_USER() and CURRENT_ACCOUNT(). */
  user?: string
  account?: string
  /** The session's earlier query ids, oldest first, for LAST_QUERY_ID(). */
  queryIds?: readonly string[]
  /** The session's variables (`SET x = 1`, `$x`) as SQL literals; SET and UNSET change it. */
  variables?: Map<string, string>
  /** Aborted on cancel or statement timeout; the engine interrupts DuckDB and rejects with `signal.reason`. */
  signal: AbortSignal
  /** The driver's describeOnly: compile the statement and answer its result's columns; nothing runs or changes. */
  describeOnly?: boolean
}

export interface StatementResult {
  columns: Column[]
  /** 0x1000 SELECT, 0x3100 INSERT, 0x3200 UPDATE, 0x3300 DELETE, 0x3400 MERGE, >= 0x6000 DDL. */
  statementTypeId: number
  rowCount: number
  /** An estimate of the bytes the statement read, for query history. */
  bytesScanned: number
  /** Rows [start, end) encoded for `rowset`. */
  rows (start: number, end: number): WireRow[]
  /** Rows [start, end) as a chunk body: JSON arrays joined by commas, without the surrounding brackets. */
  chunkText (start: number, end: number): string
  /** Characters of wire text the result holds (about its bytes in memory); 0 once released. */
  heldChars (): number
  /** Frees what the result holds; called when the result is evicted. */
  release (): void
}

export type QueryStatus = 'RUNNING' | 'SUCCESS' | 'FAILED_WITH_ERROR' | 'ABORTED'

/** One query as `INFORMATION_SCHEMA.QUERY_HISTORY*()` and the emulator's query log report it. */
export interface HistoryEntry {
  queryId: string
  sqlText: string
  /** The bindings as sent, so a test can show that a value was bound, not spliced. */
  bindings: Record<string, Binding> | null
  queryTag: string
  sessionId: number
  userName: string
  warehouse: string | null
  database: string | null
  schema: string | null
  role: string | null
  startTime: Date
  endTime: Date | null
  elapsedMs: number
  rowsProduced: number
  bytesScanned: number
  status: QueryStatus
  errorCode: string | null
  errorMessage: string | null
}

/** An error Snowflake would send: string code, SQL state, message. */
export class SnowflakeError extends Error {
  constructor (readonly code: string, readonly sqlState: string, message: string) {
    super(message)
    this.name = 'SnowflakeError'
  }
}

export interface Engine {
  /** Runs one statement; rejects with a SnowflakeError (or `ctx.signal.reason` when aborted). */
  execute (sqlText: string, bindings: Record<string, Binding> | null, ctx: StatementContext): Promise<StatementResult>
  /** The query history the engine answers QUERY_HISTORY table functions from; the protocol layer records into it. */
  readonly history: QueryHistory
  /** The session ended (logged out, or its master token expired): its temporary tables go. */
  endSession? (sessionId: number): Promise<void>
  close (): Promise<void>
}

export interface QueryHistory {
  start (entry: HistoryEntry): void
  finish (queryId: string, update: Pick<HistoryEntry, 'status' | 'endTime' | 'elapsedMs' | 'rowsProduced' | 'bytesScanned' | 'errorCode' | 'errorMessage'>): void
  get (queryId: string): HistoryEntry | undefined
  /** Newest last. */
  list (): HistoryEntry[]
}
