import { setImmediate } from 'node:timers/promises'
import type { Logger } from 'pino'
import { Listeners } from '../listeners.js'
import type { Timings } from '../timings.js'
import type { Target } from './connection-options.js'
import { CostBatches, type CostBatchSettings } from './cost-batches.js'
import type { ConnectionManager } from './connection-manager.js'
import type { CostTracker, QueryCost } from './cost-tracker.js'
import { withRetries } from './retry.js'
import type { Row } from './rows.js'
import { openStatement, type OpenStatement, type StatementSource, type StatementSpec } from './statement.js'

/** Where one attempt's rows go. A failed attempt's sink is discarded, and the next attempt gets a fresh one. */
export interface RowSink {
  /**
   * Sees each batch as it arrives (output-schema check, cache writes); throwing stops the read. A promise it
   * returns (the batch's cache writes) is waited for before the next batch is read.
   */
  add: (rows: Row[], offset: number) => Promise<unknown> | undefined | void
  discard?: () => void
}

export interface ReadRequest {
  /** Who asked: the statement's query id is recorded as this tenant's. */
  tenant: string
  target: Target
  /** Epoch ms: no attempt starts after it. */
  deadline: number
  /** The call's one signal: when it aborts, whatever phase the read is in (waiting for a connection, executing, downloading) stops, and the statement is cancelled. */
  signal: AbortSignal
  /** Rows [start, end) of the result. */
  start: number
  end: number
  batchSize: number
  /** A fresh sink for each attempt, named by the attempt's query id (and told its row count): a retry never adds to what a failed attempt wrote. */
  sink: (queryId: string, totalRows: number) => RowSink
  timings: Timings
  onRetry?: (error: unknown, attempt: number) => void
}

/** What a read came to; its rows went to the attempt's sink. */
export interface ReadResult {
  queryId: string
  totalRows: number
}

/** Runs statements through the pools: retries transient faults inside the deadline, records costs in batches afterwards. */
export class Warehouse {
  /** Each transient fault that is about to be retried. */
  readonly retries = new Listeners<unknown>()
  readonly #batches: CostBatches

  constructor (
    readonly connections: ConnectionManager,
    readonly costs: CostTracker,
    readonly logger: Logger,
    costBatches: CostBatchSettings
  ) {
    this.#batches = new CostBatches(connections, costs, costBatches, logger)
  }

  /** Reads the costs still pending, then logs every session out. */
  async close (): Promise<void> {
    await this.#batches.flush()
    await this.connections.close()
  }

  /** A query's cost when this process did not record it: another replica ran it, or it aged out. */
  async lookupCost (queryId: string): Promise<QueryCost | undefined> {
    const { connection, release } = await this.connections.acquire({}, AbortSignal.timeout(30_000))
    try {
      return await this.costs.lookup(connection, queryId)
    } finally {
      release()
    }
  }

  /** Runs a statement and reads one window of its rows. */
  async query (spec: Omit<StatementSpec, 'timeoutSeconds'>, request: ReadRequest): Promise<ReadResult> {
    return await this.#read(request, (timeoutSeconds) => ({ run: { ...spec, timeoutSeconds } }), true)
  }

  /** Reads a window of an earlier statement's persisted result, by query id. */
  async resume (queryId: string, request: ReadRequest): Promise<ReadResult> {
    return await this.#read(request, () => ({ queryId }), false)
  }

  /**
   * Opens a statement for the caller to stream from; `done` must be called when the caller
   * has finished (or given up), which returns the connection and records the cost.
   */
  async open (spec: Omit<StatementSpec, 'timeoutSeconds'>, request: Pick<ReadRequest, 'tenant' | 'target' | 'deadline' | 'signal' | 'timings' | 'onRetry'>): Promise<{ statement: OpenStatement, done: () => void }> {
    return await withRetries(async () => {
      const lease = await request.timings.measure('acquire', async () => await this.connections.acquire(request.target, request.signal))
      try {
        const statement = await request.timings.measure('execute', async () =>
          await openStatement(lease.connection, { run: { ...spec, timeoutSeconds: secondsLeft(request.deadline) } }, request.signal))
        this.costs.own(statement.queryId, request.tenant)
        return { statement, done: () => this.#batches.settle(lease, statement.queryId) }
      } catch (err) {
        lease.release()
        throw err
      }
    }, { deadline: request.deadline, signal: request.signal, onRetry: this.#onRetry(request.onRetry) })
  }

  async #read (request: ReadRequest, source: (timeoutSeconds: number) => StatementSource, trackCost: boolean): Promise<ReadResult> {
    const { timings, signal } = request
    return await withRetries(async () => {
      const lease = await timings.measure('acquire', async () => await this.connections.acquire(request.target, signal))
      let queryId: string | undefined
      let sink: RowSink | undefined
      try {
        const statement = await timings.measure('execute', async () => await openStatement(lease.connection, source(secondsLeft(request.deadline)), signal))
        queryId = statement.queryId
        if (trackCost) this.costs.own(queryId, request.tenant)
        sink = request.sink(queryId, statement.totalRows)
        const end = Math.min(request.end, statement.totalRows)
        let offset = request.start
        let fetchStart = performance.now()
        for await (const batch of statement.batches(request.start, end, request.batchSize, signal)) {
          timings.add('fetch', performance.now() - fetchStart)
          const start = performance.now()
          const stored = sink.add(batch, offset)
          timings.since('output-validate', start)
          offset += batch.length
          // A downloaded chunk's rows are all at hand: without a turn of the event loop here, every other request
          // (a first page, a hit, a Redis reply) would wait until the whole chunk has been read.
          await (stored ?? setImmediate())
          fetchStart = performance.now()
        }
        return { queryId, totalRows: statement.totalRows }
      } catch (err) {
        sink?.discard?.()
        throw err
      } finally {
        if (trackCost && queryId) this.#batches.settle(lease, queryId)
        else lease.release()
      }
    }, { deadline: request.deadline, signal, onRetry: this.#onRetry(request.onRetry) })
  }

  #onRetry (own?: (error: unknown, attempt: number) => void): (error: unknown, attempt: number) => void {
    return (error, attempt) => {
      this.retries.emit(error)
      own?.(error, attempt)
    }
  }
}

function secondsLeft (deadline: number): number {
  return Math.max(1, Math.ceil((deadline - Date.now()) / 1000))
}
