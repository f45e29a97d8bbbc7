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
/** The most rows a QUERY_HISTORY* table function returns. */
export const maxResultLimit = 10_000

// The session function sees the query at once; ACCOUNT_USAGE lags by up to 45 minutes. RESULT_LIMIT bounds the
// rows the function returns before WHERE picks the ids: it must reach back to the oldest id asked for.
const bySession = (resultLimit: number, ids: number): string =>
  `SELECT ${columns} FROM TABLE(INFORMATION_SCHEMA.QUERY_HISTORY_BY_SESSION(RESULT_LIMIT => ${resultLimit})) WHERE QUERY_ID IN (${placeholders(ids)})`
const byAccount = (ids: number): string =>
  `SELECT ${columns} FROM TABLE(INFORMATION_SCHEMA.QUERY_HISTORY(RESULT_LIMIT => ${maxResultLimit})) WHERE QUERY_ID IN (${placeholders(ids)})`

const placeholders = (n: number): string => Array.from({ length: n }, () => '?').join(', ')
const text = (value: unknown): string | null => value === null || value === undefined ? null : String(value)
const number = (value: unknown): number => Number(value ?? 0)

export type HistoryFunction = 'QUERY_HISTORY_BY_SESSION' | 'QUERY_HISTORY'

/** Reads query costs off the request path and keeps the latest ones for `GET /v1/queries/{id}`. */
export class CostTracker {
  readonly #costs = new Map<string, QueryCost>()
  /** Which tenant ran each query id, so a cost is shown to that tenant (and admins) only. */
  readonly #owners = new Map<string, string>()
  /** Each cost read after a statement this process ran (not costs looked up for other replicas). */
  readonly recorded = new Listeners<QueryCost>()
  /** History statements sent, by table function: against the executions, what reading costs costs. */
  readonly statements: Record<HistoryFunction, number> = { QUERY_HISTORY_BY_SESSION: 0, QUERY_HISTORY: 0 }

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

  /**
   * Records the costs of statements this process ran on `connection`'s session, in one history statement whose
   * RESULT_LIMIT reaches back `resultLimit` statements of the session. Answers the ids it did not find.
   */
  async recordBySession (connection: Connection, queryIds: string[], resultLimit: number): Promise<string[]> {
    const costs = await this.#read(connection, 'QUERY_HISTORY_BY_SESSION', bySession(Math.min(resultLimit, maxResultLimit), queryIds.length), queryIds)
    return this.#record(queryIds, costs)
  }

  /** Records the costs of statements this process ran on a session that is gone or out of reach: from the account's history. */
  async recordByAccount (connection: Connection, queryIds: string[]): Promise<string[]> {
    return this.#record(queryIds, await this.#read(connection, 'QUERY_HISTORY', byAccount(queryIds.length), queryIds))
  }

  /** For a query this process did not record (another replica ran it): the account-wide history. */
  async lookup (connection: Connection, queryId: string): Promise<QueryCost | undefined> {
    const [cost] = await this.#read(connection, 'QUERY_HISTORY', byAccount(1), [queryId])
    if (cost) this.#remember(cost)
    return cost
  }

  #record (queryIds: string[], costs: QueryCost[]): string[] {
    for (const cost of costs) {
      this.#remember(cost)
      this.recorded.emit(cost)
    }
    const found = new Set(costs.map((cost) => cost.queryId))
    return queryIds.filter((queryId) => !found.has(queryId))
  }

  async #read (connection: Connection, from: HistoryFunction, sqlText: string, queryIds: string[]): Promise<QueryCost[]> {
    const signal = AbortSignal.timeout(30_000)
    this.statements[from]++
    const statement = await openStatement(connection, { run: { sqlText, binds: queryIds, queryTag: 'gateway:cost', timeoutSeconds: 30 } }, signal)
    const costs: QueryCost[] = []
    for await (const rows of statement.batches(0, statement.totalRows, statement.totalRows, signal)) {
      for (const row of rows) {
        costs.push({
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
        })
      }
    }
    return costs
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
