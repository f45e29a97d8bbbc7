import type { Logger } from 'pino'
import { Listeners } from '../listeners.js'
import type { Connection } from './driver.js'
import { openStatement } from './statement.js'

/** What a query cost, as Snowflake's query history reports it. */
export interface QueryCost {
  queryId: string
  queryTag: string | null
  status: string
  errorCode: string | null
  elapsedMs: number
  bytesScanned: number
  rowsProduced: number
  creditsUsedCloudServices: number
  startTime: string | null
  endTime: string | null
}

const columns = `QUERY_ID, QUERY_TAG, EXECUTION_STATUS, ERROR_CODE, TOTAL_ELAPSED_TIME, BYTES_SCANNED,
  ROWS_PRODUCED, CREDITS_USED_CLOUD_SERVICES, START_TIME, END_TIME`
// The session function sees the query at once; ACCOUNT_USAGE lags by up to 45 minutes.
const bySession = `SELECT ${columns} FROM TABLE(INFORMATION_SCHEMA.QUERY_HISTORY_BY_SESSION()) WHERE QUERY_ID = ?`
const byAccount = `SELECT ${columns} FROM TABLE(INFORMATION_SCHEMA.QUERY_HISTORY()) WHERE QUERY_ID = ?`

const text = (value: unknown): string | null => value === null || value === undefined ? null : String(value)
const number = (value: unknown): number => Number(value ?? 0)

/** Reads query costs off the request path and keeps the latest ones for `GET /v1/queries/{id}`. */
export class CostTracker {
  readonly #costs = new Map<string, QueryCost>()
  /** Which tenant ran each query id, so a cost is shown to that tenant (and admins) only. */
  readonly #owners = new Map<string, string>()
  /** Each cost read after a statement this process ran (not costs looked up for other replicas). */
  readonly recorded = new Listeners<QueryCost>()

  constructor (readonly logger: Logger, readonly capacity = 10_000) {}

  get (queryId: string): QueryCost | undefined {
    return this.#costs.get(queryId)
  }

  /** Notes the tenant whose request started the statement. */
  own (queryId: string, tenant: string): void {
    remember(this.#owners, queryId, tenant, this.capacity)
  }

  ownerOf (queryId: string): string | undefined {
    return this.#owners.get(queryId)
  }

  /** Reads the query's history row on the session that ran it. */
  async record (connection: Connection, queryId: string): Promise<QueryCost | undefined> {
    try {
      const cost = await this.#lookup(connection, bySession, queryId)
      if (cost) {
        this.#remember(cost)
        this.recorded.emit(cost)
      }
      return cost
    } catch (err) {
      this.logger.warn({ err, queryId }, 'could not read the query\'s cost from QUERY_HISTORY_BY_SESSION')
      return undefined
    }
  }

  /** For a query this process did not record (another replica ran it): the account-wide history. */
  async lookup (connection: Connection, queryId: string): Promise<QueryCost | undefined> {
    const cost = await this.#lookup(connection, byAccount, queryId)
    if (cost) this.#remember(cost)
    return cost
  }

  async #lookup (connection: Connection, sqlText: string, queryId: string): Promise<QueryCost | undefined> {
    const signal = AbortSignal.timeout(30_000)
    const statement = await openStatement(connection, { run: { sqlText, binds: [queryId], queryTag: 'gateway:cost', timeoutSeconds: 30 } }, signal)
    const { value: rows } = await statement.batches(0, 1, 1, signal).next()
    const row = rows?.[0]
    if (!row) return undefined
    return {
      queryId: String(row.QUERY_ID),
      queryTag: text(row.QUERY_TAG),
      status: String(row.EXECUTION_STATUS),
      errorCode: text(row.ERROR_CODE),
      elapsedMs: number(row.TOTAL_ELAPSED_TIME),
      bytesScanned: number(row.BYTES_SCANNED),
      rowsProduced: number(row.ROWS_PRODUCED),
      creditsUsedCloudServices: number(row.CREDITS_USED_CLOUD_SERVICES),
      startTime: text(row.START_TIME),
      endTime: text(row.END_TIME)
    }
  }

  #remember (cost: QueryCost): void {
    remember(this.#costs, cost.queryId, cost, this.capacity)
  }
}

/** Sets a key as the newest of a map that keeps at most `capacity` keys, dropping the oldest. */
function remember<V> (map: Map<string, V>, key: string, value: V, capacity: number): void {
  map.delete(key)
  map.set(key, value)
  if (map.size > capacity) map.delete(map.keys().next().value as string)
}
