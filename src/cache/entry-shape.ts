import { RowTexts } from '../row-texts.js'

/** Snowflake's query ids, and the emulator's: UUID-shaped, so also safe in a header. */
const queryIdPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const comma = 0x2c
const openBrace = 0x7b
const closeBrace = 0x7d

const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0

/** What the metadata entry's header says of its result; the entry's rows are the result's first page. */
export interface ResultHeader {
  queryId: string
  rowCount: number
  /** False when the action's maxRows cut the result: Snowflake had more rows. */
  complete: boolean
  /** Rows per entry: the action's default page size when the result was written. */
  pageRows: number
  createdAt: number
  freshUntil: number
  /** When the store lets it lapse: found later, it was put back by another writer (or clocks disagree). */
  keepUntil: number
  ends: number[]
}

/** A result's metadata as ResultWriter writes it: a query id that can be a header, counts that agree. */
export function isResultHeader (value: unknown): value is ResultHeader {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const { queryId, rowCount, complete, pageRows, createdAt, freshUntil, keepUntil } = value as Record<string, unknown>
  return typeof queryId === 'string' && queryIdPattern.test(queryId) && typeof complete === 'boolean' &&
    isCount(rowCount) && isCount(pageRows) && pageRows > 0 &&
    Number.isFinite(createdAt) && Number.isFinite(freshUntil) && Number.isFinite(keepUntil)
}

/** Rows `n` of a result with `header` are entry n's; undefined when `ends` does not cut `rows` into that many objects. */
export function rowTextsOf (value: unknown, rows: string, header: ResultHeader, n: number): RowTexts | undefined {
  const ends = (value as { ends?: unknown } | null)?.ends
  const count = Math.max(0, Math.min(header.pageRows, header.rowCount - n * header.pageRows))
  if (!Array.isArray(ends) || ends.length !== count) return undefined
  if (count === 0) return rows.length === 0 ? RowTexts.none : undefined
  let start = 0
  for (let i = 0; i < count; i++) {
    const end: unknown = ends[i]
    if (!Number.isSafeInteger(end) || (end as number) <= start + 1) return undefined
    const stop = end as number
    if (rows.charCodeAt(start) !== openBrace || rows.charCodeAt(stop - 1) !== closeBrace) return undefined
    if (i < count - 1 ? rows.charCodeAt(stop) !== comma : stop !== rows.length) return undefined
    start = stop + 1
  }
  return new RowTexts(rows, ends as number[])
}
