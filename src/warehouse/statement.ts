import type { Readable } from 'node:stream'
import type { Bind, Connection, RowStatement } from './driver.js'
import { rowConverter, type Row } from './rows.js'

export interface StatementSpec {
  sqlText: string
  binds: Bind[]
  queryTag: string
  timeoutSeconds: number
}

/** A statement whose first response has arrived: its id, shape and row count, rows not yet read. */
export interface OpenStatement {
  queryId: string
  totalRows: number
  /** Reads rows [start, end) in batches of `batchSize`, converted to JSON rows. */
  batches: (start: number, end: number, batchSize: number) => AsyncGenerator<Row[]>
  cancel: () => Promise<void>
}

// Numbers as exact strings: the driver would otherwise round integers past 2^53.
const fetchAsString: ['Number'] = ['Number']

function open (statement: RowStatement): OpenStatement {
  const convert = rowConverter(statement.getColumns() ?? [])
  return {
    queryId: statement.getQueryId(),
    totalRows: statement.getNumRows(),
    async * batches (start, end, batchSize) {
      if (end <= start) return
      const stream: Readable = statement.streamRows({ start, end: end - 1 })
      let batch: Row[] = []
      try {
        for await (const values of stream) {
          batch.push(convert(values as unknown[]))
          if (batch.length >= batchSize) {
            yield batch
            batch = []
          }
        }
        if (batch.length > 0) yield batch
      } finally {
        stream.destroy()
      }
    },
    cancel: async () => {
      await new Promise<void>((resolve) => statement.cancel(() => resolve()))
    }
  }
}

/** Sends a statement and resolves once Snowflake has answered with its result's shape. */
export async function execute (connection: Connection, spec: StatementSpec, signal: AbortSignal): Promise<OpenStatement> {
  signal.throwIfAborted()
  return await new Promise((resolve, reject) => {
    const statement = connection.execute({
      sqlText: spec.sqlText,
      binds: spec.binds,
      streamResult: true,
      rowMode: 'array',
      fetchAsString,
      parameters: { QUERY_TAG: spec.queryTag, STATEMENT_TIMEOUT_IN_SECONDS: spec.timeoutSeconds },
      complete: (err, stmt) => {
        signal.removeEventListener('abort', abort)
        if (err) reject(err)
        else resolve(open(stmt as RowStatement))
      }
    })
    const abort = (): void => {
      statement.cancel(() => {})
      reject(signal.reason)
    }
    signal.addEventListener('abort', abort, { once: true })
  })
}

/** Reopens a finished statement's persisted result by query id, without running it again. */
export async function reopen (connection: Connection, queryId: string): Promise<OpenStatement> {
  return await new Promise((resolve, reject) => {
    connection.fetchResult({
      queryId,
      sqlText: '',
      streamResult: true,
      rowMode: 'array',
      fetchAsString,
      complete: (err, stmt) => {
        if (err) reject(err)
        else resolve(open(stmt as RowStatement))
      }
    })
  })
}
