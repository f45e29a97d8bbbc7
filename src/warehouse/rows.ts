import type { Column } from './driver.js'

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue }
export type Row = Record<string, JsonValue>
type Convert = (value: unknown) => JsonValue

const pad = (n: number): string => String(n).padStart(2, '0')

function offset (minutes: number): string {
  if (minutes === 0) return 'Z'
  const abs = Math.abs(minutes)
  return `${minutes < 0 ? '-' : '+'}${pad(Math.trunc(abs / 60))}:${pad(abs % 60)}`
}

/** ISO 8601 at the given offset, at millisecond precision; TIMESTAMP_NTZ and _LTZ are rendered as UTC. */
function isoTimestamp (epochMs: number, offsetMinutes: number): string {
  if (offsetMinutes === 0) return new Date(epochMs).toISOString()
  return new Date(epochMs + offsetMinutes * 60_000).toISOString().slice(0, -1) + offset(offsetMinutes)
}

/**
 * Milliseconds since the epoch of Snowflake's wire text for a timestamp, `<seconds>[.<fraction>]`: the fraction
 * truncated to milliseconds towards the past (as the driver does: floor of the seconds, the fraction added).
 */
function epochMs (text: string): number {
  const dot = text.indexOf('.')
  if (dot === -1) return Number(text) * 1000
  const seconds = Number(text.slice(0, dot))
  const nanos = Number(text.slice(dot + 1, dot + 10).padEnd(9, '0'))
  if (nanos === 0) return seconds * 1000
  // "-1.25" is 1.25 s before the epoch: second -2, plus 0.75 s.
  return text.startsWith('-') ? (seconds - 1) * 1000 + Math.trunc((1e9 - nanos) / 1e6) : seconds * 1000 + Math.trunc(nanos / 1e6)
}

/**
 * A TIMESTAMP_TZ's wire text: `<seconds>.<fraction> <offset + 1440>`, or (result version 0) one number whose
 * lowest 14 bits of the scaled value are the offset index.
 */
function timestampTz (text: string, scale: number): string {
  const space = text.indexOf(' ')
  if (space !== -1) return isoTimestamp(epochMs(text.slice(0, space)), Number(text.slice(space + 1)) - 1440)
  const dot = text.indexOf('.')
  const scaled = BigInt(dot === -1 ? text + '0'.repeat(scale) : text.slice(0, dot) + text.slice(dot + 1).padEnd(scale, '0').slice(0, scale))
  const index = ((scaled % 16384n) + 16384n) % 16384n
  const value = (scaled - index) / 16384n
  const unit = 10n ** BigInt(scale)
  const seconds = value >= 0n ? value / unit : -((-value + unit - 1n) / unit)
  const ms = Number(seconds) * 1000 + Number(((value - seconds * unit) * 1000n) / unit)
  return isoTimestamp(ms, Number(index) - 1440)
}

/**
 * Numbers arrive as exact text: kept as JSON numbers while that is exact, as strings beyond (integers past 2^53,
 * decimals with more than 15 significant digits).
 */
function exactNumber (value: unknown): JsonValue {
  if (value === null || value === undefined) return null
  const text = String(value)
  const n = Number(text)
  if (!Number.isFinite(n)) return text
  if (Number.isSafeInteger(n) || text.length <= 15) return n
  const digits = text.replace(/^-/, '').replace('.', '').replace(/^0+/, '').length
  return digits <= 15 ? n : text
}

const text = (convert: (value: string) => JsonValue): Convert => (value) => typeof value === 'string' ? convert(value) : null

/**
 * Converters of Snowflake's wire text, for the types the gateway reads before the driver has converted them:
 * the driver builds a BigNumber, a moment and a Date with five closures for every timestamp value, and an
 * object for every number, which cost more than the rest of a streamed row together.
 */
function wireConverters (column: Column): Convert | undefined {
  switch (column.getType()) {
    case 'fixed': case 'real': return exactNumber
    // The driver's own conversion of text is the identity; its read cost a call chain and a flag per value.
    case 'text': return text((value) => value)
    case 'date': return text((days) => new Date(Number(days) * 86_400_000).toISOString().slice(0, 10))
    case 'timestamp_ntz': case 'timestamp_ltz': return text((wire) => isoTimestamp(epochMs(wire), 0))
    case 'timestamp_tz': return text((wire) => timestampTz(wire, column.getScale()))
    default: return undefined
  }
}

/** Converters of what the driver has made of a value, for the other types. */
const driverConverters: Record<string, Convert> = {
  binary: (value) => Buffer.isBuffer(value) ? value.toString('base64') : null
}

const asIs: Convert = (value) => value === undefined ? null : value as JsonValue

/**
 * The driver's column, with its per-row reads, which the gateway replaces for the types it converts itself: the
 * row stream calls `_getRowValueAsString` for the types in `fetchAsString` (NUMBER) and `_getRowValue` for the rest.
 */
interface ReadableColumn extends Column {
  _getRowValue: (row: { values: unknown[] }) => unknown
  _getRowValueAsString: (row: { values: unknown[] }) => unknown
}

/**
 * Builds, once per statement, the function that turns the driver's array rows into JSON rows, and makes the
 * driver hand over the wire text of the columns converted here. The columns are the statement's own, so this
 * changes how this statement's rows are read, nothing else.
 */
export function rowConverter (columns: Column[]): (values: unknown[]) => Row {
  const names = columns.map((column) => column.getName())
  const convert = columns.map((column) => {
    const fromWire = wireConverters(column)
    if (!fromWire) return driverConverters[column.getType()] ?? asIs
    const readable = column as ReadableColumn
    const index = column.getIndex()
    // A driver that no longer reads rows this way must fail every statement, not answer unconverted values.
    if (typeof readable._getRowValue !== 'function' || typeof readable._getRowValueAsString !== 'function') {
      throw new Error('snowflake-sdk: Column._getRowValue or _getRowValueAsString is gone; src/warehouse/rows.ts needs another way to the wire text')
    }
    // Both: with only the first, NUMBER columns (fetched as strings) still went through the driver's conversion,
    // a { raw, processed } object and a Number() per value, only for the gateway to read the raw text back.
    const wire = (row: { values: unknown[] }): unknown => row.values[index]
    readable._getRowValue = wire
    readable._getRowValueAsString = wire
    return fromWire
  })
  return (values) => {
    const row: Row = {}
    for (let i = 0; i < names.length; i++) row[names[i] as string] = (convert[i] as Convert)(values[i])
    return row
  }
}
