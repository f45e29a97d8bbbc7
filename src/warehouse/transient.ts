/** Snowflake codes for conditions that pass by themselves: no warehouse running yet, a full statement queue. */
const transientCodes = new Set(['000606', '000610'])
const transientDriverCodes = new Set([401001, 402001, 402002])

interface DriverError {
  code?: string | number
  name?: string
  response?: { statusCode?: number }
}

/** A statement failure worth another attempt: network trouble, HTTP 429/5xx, warehouse or queue states. */
export function isTransient (error: unknown): boolean {
  if (error === null || typeof error !== 'object') return false
  const { code, name, response } = error as DriverError
  const status = response?.statusCode
  if (status !== undefined) return status === 429 || status === 408 || status >= 500
  if (typeof code === 'string') return transientCodes.has(code)
  if (typeof code === 'number') return transientDriverCodes.has(code)
  // generic-pool gives up on acquire with a TimeoutError: every connection is busy or failing to log in.
  return name === 'TimeoutError'
}

/** Snowflake SQL states of class 22 are data exceptions: the bound value, not the SQL, was wrong. */
export function isDataError (error: unknown): boolean {
  const sqlState = (error as { sqlState?: unknown } | null)?.sqlState
  return typeof sqlState === 'string' && sqlState.startsWith('22')
}
