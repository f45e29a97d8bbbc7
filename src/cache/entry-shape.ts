import type { Row } from '../warehouse/rows.js'
import type { CachedResult } from './result-cache.js'

/** Snowflake's query ids, and the emulator's: UUID-shaped, so also safe in a header. */
const queryIdPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0

function isRows (value: unknown, length: number): value is Row[] {
  if (!Array.isArray(value) || value.length !== length) return false
  for (let i = 0; i < length; i++) {
    const row: unknown = value[i]
    if (typeof row !== 'object' || row === null || Array.isArray(row)) return false
  }
  return true
}

/**
 * Metadata as ResultWriter writes it: a query id that can be a header, counts that agree, and a head holding
 * exactly the result's first `entryRows` rows (all of them when fewer), each a row object.
 */
export function isResult (value: unknown): value is CachedResult {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const { queryId, rowCount, complete, entryRows, createdAt, freshUntil, keepUntil, head } = value as Record<string, unknown>
  return typeof queryId === 'string' && queryIdPattern.test(queryId) && typeof complete === 'boolean' &&
    isCount(rowCount) && isCount(entryRows) && entryRows > 0 &&
    Number.isFinite(createdAt) && Number.isFinite(freshUntil) && Number.isFinite(keepUntil) &&
    isRows(head, Math.min(rowCount, entryRows))
}

/** Entry `n` (1 and up) of `result`: `entryRows` rows, fewer only in the last. */
export function isEntry (value: unknown, result: CachedResult, n: number): value is Row[] {
  return isRows(value, Math.min(result.entryRows, result.rowCount - n * result.entryRows))
}
