// Snowflake's JSON envelope: { data, code, message, success }, with `code` always a string or null.
import type { ServerResponse } from 'node:http'
import type { SnowflakeError } from './engine/contract.js'

export interface Envelope {
  data: unknown
  code: string | null
  message: string | null
  success: boolean
}

export function ok (data: unknown, code: string | null = null, message: string | null = null): Envelope {
  return { data, code, message, success: true }
}

export function failure (err: SnowflakeError, queryId?: string): Envelope {
  const data: Record<string, unknown> = { internalError: false, errorCode: err.code, age: 0, line: -1, pos: -1 }
  // Without sqlState the driver treats a SQL error as retryable and re-sends it, so only login/session
  // errors (which have none in Snowflake either) go without.
  if (err.sqlState !== '') data.sqlState = err.sqlState
  if (queryId !== undefined) data.queryId = queryId
  return { data, code: err.code, message: err.message, success: false }
}

export function sendJson (res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent || res.destroyed) return
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text)
  })
  res.end(text)
}
