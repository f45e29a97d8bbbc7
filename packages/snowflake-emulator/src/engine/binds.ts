// Driver bindings → DuckDB prepared-statement parameters. Values are never spliced into SQL text.
import {
  BIGINT, BLOB, BOOLEAN, DATE, DOUBLE, HUGEINT, TIME, TIMESTAMP, VARCHAR,
  blobValue, dateValue, timeValue, timestampValue,
  type DuckDBType, type DuckDBValue
} from '@duckdb/node-api'
import { SnowflakeError, type Binding } from './contract.js'

export interface BoundRow {
  values: DuckDBValue[]
  /** undefined lets DuckDB infer the type (SQL NULL). */
  types: DuckDBType[]
}

export interface BoundRows {
  /** One parameter list per execution: several in array-binding mode. */
  rows: BoundRow[]
  count: number
}

const INT64_MIN = -(2n ** 63n)
const INT64_MAX = 2n ** 63n - 1n
const INT128_MAX = 2n ** 127n - 1n

interface Param { value: DuckDBValue, type: DuckDBType | undefined }

const text = (v: string): Param => ({ value: v, type: VARCHAR })

function fixed (v: string): Param {
  const s = v.trim()
  if (/^[+-]?\d+$/.test(s)) {
    const n = BigInt(s)
    if (n >= INT64_MIN && n <= INT64_MAX) return { value: n, type: BIGINT }
    if (n >= -INT128_MAX && n <= INT128_MAX) return { value: n, type: HUGEINT }
    return text(s)
  }
  // '1e+21' and decimals: a double, as the driver already lost anything beyond 2^53.
  const d = Number(s)
  return Number.isNaN(d) ? text(v) : { value: d, type: DOUBLE }
}

function bool (v: string): Param {
  const s = v.trim().toLowerCase()
  if (['true', '1', 't', 'yes', 'y', 'on'].includes(s)) return { value: true, type: BOOLEAN }
  if (['false', '0', 'f', 'no', 'n', 'off'].includes(s)) return { value: false, type: BOOLEAN }
  return text(v)
}

// Typed date/time binds (other drivers send them) carry epoch numbers: DATE in ms, TIME and TIMESTAMP in ns.
const isInteger = (v: string): boolean => /^-?\d+$/.test(v.trim())
const floorDiv = (a: bigint, b: bigint): bigint => (a >= 0n ? a / b : -((-a + b - 1n) / b))

function one (type: string, raw: string | null): Param {
  if (raw === null) return { value: null, type: undefined }
  switch (type.toUpperCase()) {
    case 'FIXED': return fixed(raw)
    case 'REAL': {
      const d = Number(raw)
      return Number.isNaN(d) && raw.trim().toLowerCase() !== 'nan' ? text(raw) : { value: d, type: DOUBLE }
    }
    case 'BOOLEAN': return bool(raw)
    case 'DATE':
      return isInteger(raw)
        ? { value: dateValue(Number(floorDiv(BigInt(raw.trim()), 86400000n))), type: DATE }
        : text(raw)
    case 'TIME':
      return isInteger(raw) ? { value: timeValue(BigInt(raw.trim()) / 1000n), type: TIME } : text(raw)
    case 'TIMESTAMP_NTZ': case 'TIMESTAMP_LTZ': case 'TIMESTAMP_TZ': case 'TIMESTAMP':
      // An epoch-nanoseconds bind loses its zone here; text keeps whatever the caller wrote.
      return isInteger(raw) ? { value: timestampValue(floorDiv(BigInt(raw.trim()), 1000n)), type: TIMESTAMP } : text(raw)
    case 'BINARY': {
      const hex = raw.trim()
      if (!/^(?:[0-9a-fA-F]{2})*$/.test(hex)) throw new SnowflakeError('100071', '22000', `Failed to decode '${raw}' as HEX`)
      return { value: blobValue(Uint8Array.from(Buffer.from(hex, 'hex'))), type: BLOB }
    }
    default:
      // TEXT, VARIANT, OBJECT, ARRAY: text; DuckDB casts it to the column or expression type it meets.
      return text(raw)
  }
}

/** Orders bindings by their 1-based keys and expands array binding into one row per execution. */
export function convertBindings (bindings: Record<string, Binding> | null): BoundRows {
  if (bindings === null) return { rows: [{ values: [], types: [] }], count: 0 }
  const keys = Object.keys(bindings).map(Number).filter(n => Number.isInteger(n) && n > 0).sort((a, b) => a - b)
  const count = keys.length === 0 ? 0 : keys[keys.length - 1] as number
  const list: Array<Binding | undefined> = []
  for (let i = 1; i <= count; i++) list.push(bindings[String(i)])
  const arrayLengths = list.filter(b => Array.isArray(b?.value)).map(b => (b?.value as unknown[]).length)
  const rowCount = arrayLengths.length === 0 ? 1 : Math.max(...arrayLengths)
  const rows: BoundRow[] = []
  for (let r = 0; r < rowCount; r++) {
    const values: DuckDBValue[] = []
    const types: Array<DuckDBType | undefined> = []
    list.forEach((b, i) => {
      if (b === undefined) {
        throw new SnowflakeError('002049', '42601', `SQL compilation error: error line 1 at position 0\nBind variable :${i + 1} not set.`)
      }
      const raw = Array.isArray(b.value) ? b.value[r] ?? null : b.value
      const p = one(b.type, raw)
      values.push(p.value)
      types.push(p.type)
    })
    rows.push({ values, types: types as DuckDBType[] })
  }
  return { rows, count }
}
