// The bounded query log the protocol layer records into, and its copy as a DuckDB table for statements that
// read INFORMATION_SCHEMA.QUERY_HISTORY*() (built only for those statements).
import { timestampTZValue, type DuckDBConnection } from '@duckdb/node-api'
import type { HistoryEntry, QueryHistory } from './contract.js'
import { HISTORY_TABLE } from './translate.js'

export class BoundedHistory implements QueryHistory {
  private readonly entries = new Map<string, HistoryEntry>()

  constructor (private readonly limit: number) {}

  start (entry: HistoryEntry): void {
    this.entries.delete(entry.queryId)
    this.entries.set(entry.queryId, { ...entry })
    // A Map iterates in insertion order, so the first key is the oldest entry.
    while (this.entries.size > this.limit) {
      const oldest = this.entries.keys().next().value
      if (oldest === undefined) break
      this.entries.delete(oldest)
    }
  }

  finish (queryId: string, update: Pick<HistoryEntry, 'status' | 'endTime' | 'elapsedMs' | 'rowsProduced' | 'bytesScanned' | 'errorCode' | 'errorMessage'>): void {
    const entry = this.entries.get(queryId)
    if (entry !== undefined) Object.assign(entry, update)
  }

  get (queryId: string): HistoryEntry | undefined {
    return this.entries.get(queryId)
  }

  list (): HistoryEntry[] {
    return [...this.entries.values()]
  }
}

/** Cloud-services credits: a deterministic 1e-6 credit per elapsed millisecond, rounded to 9 digits. */
function creditsFor (elapsedMs: number): number {
  return Math.round(elapsedMs * 1000) / 1e9
}

const COLUMNS = [
  'QUERY_ID VARCHAR', 'QUERY_TEXT VARCHAR', 'QUERY_TYPE VARCHAR', 'QUERY_TAG VARCHAR', 'SESSION_ID BIGINT',
  'USER_NAME VARCHAR', 'WAREHOUSE_NAME VARCHAR', 'DATABASE_NAME VARCHAR', 'SCHEMA_NAME VARCHAR', 'ROLE_NAME VARCHAR',
  'EXECUTION_STATUS VARCHAR', 'ERROR_CODE VARCHAR', 'ERROR_MESSAGE VARCHAR', 'START_TIME TIMESTAMPTZ',
  'END_TIME TIMESTAMPTZ', 'TOTAL_ELAPSED_TIME BIGINT', 'BYTES_SCANNED BIGINT', 'ROWS_PRODUCED BIGINT',
  'CREDITS_USED_CLOUD_SERVICES DOUBLE'
]

function queryType (sql: string): string {
  const word = /^\s*(\w+)/.exec(sql)?.[1]?.toUpperCase() ?? 'UNKNOWN'
  return word === 'WITH' ? 'SELECT' : word
}

const micros = (d: Date): bigint => BigInt(d.getTime()) * 1000n

/** Creates temp.main.__SF_QUERY_HISTORY on this connection from the current entries. */
export async function materializeHistory (conn: DuckDBConnection, history: QueryHistory): Promise<void> {
  await conn.run(`CREATE OR REPLACE TEMP TABLE ${HISTORY_TABLE} (${COLUMNS.join(', ')})`)
  const appender = await conn.createAppender(HISTORY_TABLE, 'main', 'temp')
  const text = (v: string | null): void => { if (v === null) appender.appendNull(); else appender.appendVarchar(v) }
  const now = Date.now()
  for (const e of history.list()) {
    const elapsed = e.endTime === null ? now - e.startTime.getTime() : e.elapsedMs
    text(e.queryId)
    text(e.sqlText)
    text(queryType(e.sqlText))
    text(e.queryTag)
    appender.appendBigInt(BigInt(e.sessionId))
    text(e.userName)
    text(e.warehouse)
    text(e.database)
    text(e.schema)
    text(e.role)
    text(e.status)
    text(e.errorCode)
    text(e.errorMessage)
    appender.appendTimestampTZ(timestampTZValue(micros(e.startTime)))
    if (e.endTime === null) appender.appendNull(); else appender.appendTimestampTZ(timestampTZValue(micros(e.endTime)))
    appender.appendBigInt(BigInt(Math.round(elapsed)))
    appender.appendBigInt(BigInt(Math.round(e.bytesScanned)))
    appender.appendBigInt(BigInt(Math.round(e.rowsProduced)))
    appender.appendDouble(creditsFor(elapsed))
    appender.endRow()
  }
  appender.closeSync()
}
