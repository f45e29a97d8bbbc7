import type { Column } from './driver.js'

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue }
export type Row = Record<string, JsonValue>
type Convert = (value: unknown) => JsonValue

/** A timestamp as the driver returns it: a Date, with the zone offset in minutes for TIMESTAMP_TZ. */
interface SnowflakeDate extends Date {
  getTimezone?: () => unknown
}

const pad = (n: number, width = 2): string => String(Math.abs(n)).padStart(width, '0')

function offset (minutes: number): string {
  if (minutes === 0) return 'Z'
  return `${minutes < 0 ? '-' : '+'}${pad(Math.trunc(Math.abs(minutes) / 60))}:${pad(Math.abs(minutes) % 60)}`
}

/** ISO 8601 at the given offset; TIMESTAMP_NTZ and _LTZ are rendered as UTC. */
function isoTimestamp (date: Date, offsetMinutes: number): string {
  if (offsetMinutes === 0) return date.toISOString()
  const shifted = new Date(date.getTime() + offsetMinutes * 60_000).toISOString()
  return shifted.slice(0, -1) + offset(offsetMinutes)
}

/**
 * Numbers arrive as exact strings (fetchAsString): kept as JSON numbers while that is exact,
 * as strings beyond (integers past 2^53, decimals with more than 15 significant digits).
 */
function exactNumber (value: unknown): JsonValue {
  if (value === null || value === undefined) return null
  const text = String(value)
  const n = Number(text)
  if (!Number.isFinite(n)) return text
  const digits = text.replace(/^-/, '').replace('.', '').replace(/^0+/, '').length
  return digits <= 15 || Number.isSafeInteger(n) ? n : text
}

const converters: Record<string, Convert> = {
  fixed: exactNumber,
  real: exactNumber,
  date: (value) => value instanceof Date ? value.toISOString().slice(0, 10) : null,
  timestamp_ntz: (value) => value instanceof Date ? isoTimestamp(value, 0) : null,
  timestamp_ltz: (value) => value instanceof Date ? isoTimestamp(value, 0) : null,
  timestamp_tz: (value) => {
    if (!(value instanceof Date)) return null
    const zone = (value as SnowflakeDate).getTimezone?.()
    return isoTimestamp(value, typeof zone === 'number' ? zone : 0)
  },
  binary: (value) => Buffer.isBuffer(value) ? value.toString('base64') : null
}

const asIs: Convert = (value) => value === undefined ? null : value as JsonValue

/** Builds, once per statement, the function that turns the driver's array rows into JSON rows. */
export function rowConverter (columns: Column[]): (values: unknown[]) => Row {
  const names = columns.map((column) => column.getName())
  const convert = columns.map((column) => converters[column.getType()] ?? asIs)
  return (values) => {
    const row: Row = {}
    for (let i = 0; i < names.length; i++) row[names[i] as string] = (convert[i] as Convert)(values[i])
    return row
  }
}
