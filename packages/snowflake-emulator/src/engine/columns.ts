// DuckDB result types → Snowflake rowtype entries, and the SQL that renders each value in its wire form
// (snowflake-wire.md §8). Encoding runs inside DuckDB so a million rows never become JS objects.
import { DuckDBTypeId, type DuckDBType } from '@duckdb/node-api'
import type { Column, SnowflakeType } from './contract.js'

/**
 * Snowflake TIMESTAMP_TZ keeps the offset of each value; DuckDB's TIMESTAMPTZ does not. A one-member union
 * over the value's text keeps it (any text DuckDB's TIMESTAMPTZ cast reads), and its tag marks the type.
 */
export const TIMESTAMP_TZ_TAG = 'sf_timestamp_tz'
export const TIMESTAMP_TZ_TYPE = `UNION(${TIMESTAMP_TZ_TAG} VARCHAR)`

const TEXT_LENGTH = 16777216
const BINARY_LENGTH = 8388608

interface Shape {
  type: SnowflakeType
  precision?: number
  scale?: number
  length?: number
}

function shape (t: DuckDBType): Shape {
  switch (t.typeId) {
    case DuckDBTypeId.TINYINT: case DuckDBTypeId.SMALLINT: case DuckDBTypeId.INTEGER: case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UTINYINT: case DuckDBTypeId.USMALLINT: case DuckDBTypeId.UINTEGER: case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT: case DuckDBTypeId.UHUGEINT: case DuckDBTypeId.BIGNUM:
      return { type: 'fixed', precision: 38, scale: 0 }
    case DuckDBTypeId.DECIMAL:
      return { type: 'fixed', precision: t.width, scale: t.scale }
    case DuckDBTypeId.FLOAT: case DuckDBTypeId.DOUBLE:
      return { type: 'real' }
    case DuckDBTypeId.BOOLEAN:
      return { type: 'boolean' }
    case DuckDBTypeId.DATE:
      return { type: 'date' }
    case DuckDBTypeId.TIME: case DuckDBTypeId.TIME_NS:
      return { type: 'time', precision: 0, scale: 9 }
    case DuckDBTypeId.TIMESTAMP: case DuckDBTypeId.TIMESTAMP_S: case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP_NS:
      return { type: 'timestamp_ntz', precision: 0, scale: 9 }
    case DuckDBTypeId.TIMESTAMP_TZ:
      return { type: 'timestamp_ltz', precision: 0, scale: 9 }
    case DuckDBTypeId.BLOB:
      return { type: 'binary', length: BINARY_LENGTH }
    case DuckDBTypeId.LIST: case DuckDBTypeId.ARRAY:
      return { type: 'array' }
    case DuckDBTypeId.STRUCT: case DuckDBTypeId.MAP:
      return { type: 'object' }
    case DuckDBTypeId.VARIANT:
      return { type: 'variant' }
    case DuckDBTypeId.UNION:
      if (isTimestampTz(t)) return { type: 'timestamp_tz', precision: 0, scale: 9 }
      return { type: 'variant' }
    case DuckDBTypeId.VARCHAR:
      if (t.alias === 'JSON') return { type: 'variant' }
      return { type: 'text', length: TEXT_LENGTH }
    default:
      return { type: 'text', length: TEXT_LENGTH }
  }
}

function isTimestampTz (t: DuckDBType): boolean {
  return t.typeId === DuckDBTypeId.UNION && t.memberTags.length === 1 &&
    t.memberTags[0]?.toLowerCase() === TIMESTAMP_TZ_TAG
}

export interface ColumnSource { database: string, schema: string, table: string }

export function describeColumn (name: string, t: DuckDBType, source: ColumnSource | null): Column {
  const s = shape(t)
  return {
    name,
    type: s.type,
    nullable: true,
    precision: s.precision ?? null,
    scale: s.scale ?? null,
    length: s.length ?? null,
    byteLength: s.length ?? null,
    database: source?.database ?? '',
    schema: source?.schema ?? '',
    table: source?.table ?? '',
    collation: null
  }
}

/** A fixed-type column with the given name, as DML counts and similar one-row results use. */
export function fixedColumn (name: string): Column {
  return { ...describeColumn(name, { typeId: DuckDBTypeId.BIGINT } as DuckDBType, null), nullable: false }
}

export function textColumn (name: string): Column {
  return describeColumn(name, { typeId: DuckDBTypeId.VARCHAR } as DuckDBType, null)
}

const quoted = (e: string): string => `('"' || ${e} || '"')`
const jsonText = (e: string): string => `CAST(to_json(CAST(${e} AS VARCHAR)) AS VARCHAR)`
const epochText = (micros: string): string => `SF_EPOCH_TEXT(${micros})`

/** SQL giving the JSON element for column expression `c`: a quoted wire string, or NULL for SQL NULL. */
function encodeExpression (c: string, t: DuckDBType): string {
  switch (t.typeId) {
    case DuckDBTypeId.TINYINT: case DuckDBTypeId.SMALLINT: case DuckDBTypeId.INTEGER: case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UTINYINT: case DuckDBTypeId.USMALLINT: case DuckDBTypeId.UINTEGER: case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT: case DuckDBTypeId.UHUGEINT: case DuckDBTypeId.BIGNUM: case DuckDBTypeId.DECIMAL:
      return quoted(`CAST(${c} AS VARCHAR)`)
    case DuckDBTypeId.FLOAT: case DuckDBTypeId.DOUBLE:
      return quoted(`SF_REAL_TEXT(${c})`)
    case DuckDBTypeId.BOOLEAN:
      return `CASE WHEN ${c} THEN '"1"' WHEN NOT ${c} THEN '"0"' END`
    case DuckDBTypeId.DATE:
      return quoted(`CAST(${c} - DATE '1970-01-01' AS VARCHAR)`)
    case DuckDBTypeId.TIME: case DuckDBTypeId.TIME_NS:
      return quoted(epochText(`date_diff('microsecond', TIME '00:00:00', CAST(${c} AS TIME))`))
    case DuckDBTypeId.TIMESTAMP_NS:
      return quoted(`SF_EPOCH_NS_TEXT(epoch_ns(${c}))`)
    case DuckDBTypeId.TIMESTAMP: case DuckDBTypeId.TIMESTAMP_S: case DuckDBTypeId.TIMESTAMP_MS:
      return quoted(epochText(`epoch_us(CAST(${c} AS TIMESTAMP))`))
    case DuckDBTypeId.TIMESTAMP_TZ:
      return quoted(epochText(`epoch_us(${c})`))
    case DuckDBTypeId.BLOB:
      return quoted(`hex(${c})`)
    case DuckDBTypeId.LIST: case DuckDBTypeId.ARRAY: case DuckDBTypeId.STRUCT: case DuckDBTypeId.MAP:
      return jsonText(`to_json(${c})`)
    case DuckDBTypeId.VARIANT:
      return jsonText(`CAST(${c} AS JSON)`)
    case DuckDBTypeId.UNION:
      if (isTimestampTz(t)) return quoted(`SF_TSTZ_TEXT(CAST(${c} AS VARCHAR))`)
      return jsonText(`to_json(${c})`)
    case DuckDBTypeId.SQLNULL:
      return 'NULL'
    default:
      return jsonText(c)
  }
}

/** SQL giving one row's wire JSON (`["1",null]`) for the columns `names` of the given types. */
export function rowExpression (names: string[], types: DuckDBType[]): string {
  const parts = types.map((t, i) => `coalesce(${encodeExpression(names[i] as string, t)}, 'null')`)
  if (parts.length === 0) return '\'[]\''
  return `concat('[', ${parts.join(', \',\', ')}, ']')`
}
