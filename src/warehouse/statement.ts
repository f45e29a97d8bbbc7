import type { Readable } from 'node:stream'
import type { Bind, Connection, RowStatement } from './driver.js'
import { rowConverter, type Row } from './rows.js'

export interface StatementSpec {
  sqlText: string
  binds: Bind[]
  queryTag: string
  timeoutSeconds: number
}

/** What to open: a statement to run, or the persisted result of one that ran, by query id. */
export type StatementSource = { run: StatementSpec } | { queryId: string }

/** A statement whose first response has arrived: its id, shape and row count, rows not yet read. */
export interface OpenStatement {
  queryId: string
  totalRows: number
  /**
   * Reads rows [start, end) in batches of `batchSize`, converted to JSON rows. When `signal` aborts, the download
   * stops at once (the row stream is destroyed, the read throws the signal's reason) and Snowflake is asked to
   * cancel the statement.
   */
  batches: (start: number, end: number, batchSize: number, signal: AbortSignal) => AsyncGenerator<Row[]>
  cancel: () => Promise<void>
}

const statementsRun = new WeakMap<Connection, number>()

/** How many statements have run on `connection`: its session's query history has grown by as many rows. */
export function statementsOn (connection: Connection): number {
  return statementsRun.get(connection) ?? 0
}

// Numbers as exact strings: the driver would otherwise round integers past 2^53.
const fetchAsString: ['Number'] = ['Number']

function opened (statement: RowStatement): OpenStatement {
  const convert = rowConverter(statement.getColumns() ?? [])
  const cancel = async (): Promise<void> => {
    await new Promise<void>((resolve) => statement.cancel(() => resolve()))
  }
  return {
    queryId: statement.getQueryId(),
    totalRows: statement.getNumRows(),
    cancel,
    async * batches (start, end, batchSize, signal) {
      signal.throwIfAborted()
      if (end <= start) return
      const stream: Readable = statement.streamRows({ start, end: end - 1 })
      const abort = (): void => {
        stream.destroy(signal.reason as Error)
        cancel().catch(() => {})
      }
      signal.addEventListener('abort', abort, { once: true })
      // Rows are taken with read() until the batch is full or the stream is empty, then one wait: the stream's
      // async iterator cost a promise, an iterator result and a microtask per row (8 % of a stream's allocations).
      let wake: (() => void) | undefined
      const notify = (): void => {
        const resolve = wake
        wake = undefined
        resolve?.()
      }
      // The driver emits a failed chunk download as an 'error' event without destroying the stream, so the error
      // is kept from the event; listened to for the stream's whole life, so none between two reads goes uncaught.
      let failure: { error: unknown } | undefined
      stream.on('error', (error) => {
        failure ??= { error }
        notify()
      })
      for (const event of ['readable', 'end', 'close']) stream.on(event, notify)
      let batch: Row[] = []
      try {
        for (;;) {
          const values = stream.read() as unknown[] | null
          if (values !== null) {
            batch.push(convert(values))
            if (batch.length >= batchSize) {
              yield batch
              batch = []
            }
            continue
          }
          if (failure) throw failure.error
          // Destroyed with a reason (an abort): its 'error' event comes on the next tick.
          if (stream.errored) throw stream.errored
          if (stream.readableEnded) break
          if (stream.destroyed) throw new Error('the row stream closed before its end')
          await new Promise<void>((resolve) => { wake = resolve })
        }
        if (batch.length > 0) yield batch
      } finally {
        signal.removeEventListener('abort', abort)
        stream.destroy()
        for (const event of ['readable', 'end', 'close']) stream.off(event, notify)
      }
    }
  }
}

/**
 * The one way a statement is opened, for actions, readiness and cost reads alike: runs it (or reopens a
 * persisted result) and resolves once Snowflake has answered with the result's shape. An abort while it
 * executes cancels it in Snowflake.
 */
export async function openStatement (connection: Connection, source: StatementSource, signal: AbortSignal): Promise<OpenStatement> {
  signal.throwIfAborted()
  return await new Promise((resolve, reject) => {
    const complete = (err: unknown, stmt: unknown): void => {
      signal.removeEventListener('abort', abort)
      if (err) reject(err)
      else resolve(opened(stmt as RowStatement))
    }
    if ('run' in source) statementsRun.set(connection, statementsOn(connection) + 1)
    const statement = 'run' in source
      ? connection.execute({
        sqlText: source.run.sqlText,
        binds: source.run.binds,
        streamResult: true,
        rowMode: 'array',
        fetchAsString,
        parameters: { QUERY_TAG: source.run.queryTag, STATEMENT_TIMEOUT_IN_SECONDS: source.run.timeoutSeconds },
        complete
      })
      : connection.fetchResult({ queryId: source.queryId, sqlText: '', streamResult: true, rowMode: 'array', fetchAsString, complete })
    const abort = (): void => {
      statement.cancel(() => {})
      reject(signal.reason)
    }
    signal.addEventListener('abort', abort, { once: true })
  })
}
