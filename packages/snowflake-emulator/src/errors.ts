// Every error the protocol layer sends, declared once. Codes are strings on the wire (the driver compares
// with ===). Wording follows Snowflake where known; emulator-only codes are marked in README.md.
import { SnowflakeError } from './engine/contract.js'

export { SnowflakeError }

export const errors = {
  badCredentials: () => new SnowflakeError('390100', '', 'Incorrect username or password was specified.'),
  badJwt: (why: string) => new SnowflakeError('390144', '', `JWT token is invalid. ${why}`),
  sessionExpired: () => new SnowflakeError('390112', '', 'Your session has expired. Please login again.'),
  masterExpired: () => new SnowflakeError('390114', '', 'Authentication token has expired.  The user must authenticate again.'),
  tokenInvalid: () => new SnowflakeError('390104', '', 'Authentication token is invalid. New login required.'),
  sessionGone: () => new SnowflakeError('390111', '', 'Session no longer exists.  New login required to access the service.'),
  noToken: () => new SnowflakeError('390103', '', 'Authorization token is missing.'),
  badRequest: (why: string) => new SnowflakeError('390400', '', `Bad request: ${why}`),
  notFound: (path: string) => new SnowflakeError('390404', '', `No such endpoint: ${path}`),
  internal: (why: string) => new SnowflakeError('000603', 'XX000', `SQL execution internal error: ${why}`),
  canceled: () => new SnowflakeError('000604', '57014', 'SQL execution canceled'),
  notExecuting: () => new SnowflakeError('000605', '01000', 'Identified SQL statement is not currently executing.'),
  timeout: (seconds: number) => new SnowflakeError('000630', '57014',
    `Statement reached its statement or warehouse timeout of ${seconds} second(s) and was canceled.`),
  warehouseSuspended: (name: string | null) => new SnowflakeError('000606', '57P03',
    `Warehouse '${name ?? ''}' is suspended and cannot be resumed automatically.`),
  queryNotFound: (id: string) => new SnowflakeError('000709', '02000', `Statement ${id} not found`),
  statementCount: (actual: number, wanted: number) => new SnowflakeError('000008', '0A000',
    `Actual statement count ${actual} did not match the desired statement count ${wanted}.`),
  syntax: (why: string) => new SnowflakeError('001003', '42000', `SQL compilation error:\n${why}`)
}

/** Anything thrown becomes a SnowflakeError; unknown failures are internal errors. */
export function toSnowflakeError (err: unknown): SnowflakeError {
  if (err instanceof SnowflakeError) return err
  if (isSnowflakeLike(err)) return new SnowflakeError(err.code, err.sqlState, err.message)
  return errors.internal(err instanceof Error ? err.message : String(err))
}

function isSnowflakeLike (err: unknown): err is { code: string, sqlState: string, message: string } {
  if (typeof err !== 'object' || err === null) return false
  const e = err as Record<string, unknown>
  return typeof e.code === 'string' && typeof e.sqlState === 'string' && typeof e.message === 'string'
}
