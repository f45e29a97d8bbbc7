// The vocabulary of Snowflake's dialect the translator works from: function renames, date parts, type names, the
// functions that answer OBJECT or ARRAY, statement kinds. sql/parser.ts reads the SQL, translate.ts prints it.
import { TIMESTAMP_TZ_TYPE } from './columns.js'

/** Snowflake rewrites a function call to a macro of the same meaning (macros.ts) or a DuckDB builtin. */
export const FUNCTION_RENAMES: Record<string, string> = {
  IFF: 'SF_IFF',
  NVL: 'SF_NVL',
  IFNULL: 'SF_NVL',
  NVL2: 'SF_NVL2',
  ZEROIFNULL: 'SF_ZEROIFNULL',
  TO_VARCHAR: 'SF_TO_VARCHAR',
  TO_CHAR: 'SF_TO_VARCHAR',
  TO_DATE: 'SF_TO_DATE',
  TRY_TO_DATE: 'SF_TRY_TO_DATE',
  TO_TIME: 'SF_TO_TIME',
  TO_TIMESTAMP: 'SF_TO_TIMESTAMP_NTZ',
  TO_TIMESTAMP_NTZ: 'SF_TO_TIMESTAMP_NTZ',
  TO_TIMESTAMP_LTZ: 'SF_TO_TIMESTAMP_LTZ',
  TO_TIMESTAMP_TZ: 'SF_TO_TIMESTAMP_TZ',
  TO_NUMBER: 'SF_TO_NUMBER',
  TO_DECIMAL: 'SF_TO_NUMBER',
  TO_NUMERIC: 'SF_TO_NUMBER',
  TRY_TO_NUMBER: 'SF_TRY_TO_NUMBER',
  TO_DOUBLE: 'SF_TO_DOUBLE',
  TO_BOOLEAN: 'SF_TO_BOOLEAN',
  PARSE_JSON: 'SF_PARSE_JSON',
  TRY_PARSE_JSON: 'SF_TRY_PARSE_JSON',
  TO_VARIANT: 'SF_TO_VARIANT',
  OBJECT_CONSTRUCT: 'JSON_OBJECT',
  ARRAY_CONSTRUCT: 'JSON_ARRAY',
  ARRAY_SIZE: 'SF_ARRAY_SIZE',
  SYSDATE: 'SF_SYSDATE',
  GETDATE: 'SF_GETDATE',
  UNIFORM: 'SF_UNIFORM',
  RANDOM: 'SF_RANDOM',
  DIV0: 'SF_DIV0',
  SQUARE: 'SF_SQUARE',
  LEN: 'LENGTH',
  CHARINDEX: 'SF_CHARINDEX',
  HASH: 'SF_HASH',
  TO_BINARY: 'SF_TO_BINARY',
  STARTSWITH: 'SF_STARTSWITH',
  ENDSWITH: 'SF_ENDSWITH',
  INITCAP: 'SF_INITCAP',
  STRTOK: 'SF_STRTOK',
  SPLIT_PART: 'SF_SPLIT_PART',
  SPLIT: 'SF_SPLIT',
  REPLACE: 'SF_REPLACE',
  EDITDISTANCE: 'LEVENSHTEIN',
  BASE64_ENCODE: 'SF_BASE64_ENCODE',
  HEX_ENCODE: 'SF_HEX_ENCODE',
  SHA2: 'SF_SHA2',
  SHA2_HEX: 'SF_SHA2',
  SHA1_HEX: 'SHA1',
  MD5_HEX: 'MD5',
  UUID_STRING: 'GEN_RANDOM_UUID',
  REGEXP_REPLACE: 'SF_REGEXP_REPLACE',
  REGEXP_SUBSTR: 'SF_REGEXP_SUBSTR',
  REGEXP_COUNT: 'SF_REGEXP_COUNT',
  REGEXP_LIKE: 'SF_REGEXP_LIKE',
  RLIKE: 'SF_REGEXP_LIKE',
  REGEXP_INSTR: 'SF_REGEXP_INSTR',
  EQUAL_NULL: 'SF_EQUAL_NULL',
  NULLIFZERO: 'SF_NULLIFZERO',
  DIV0NULL: 'SF_DIV0NULL',
  BITAND: 'SF_BITAND',
  BITOR: 'SF_BITOR',
  BITXOR: 'XOR',
  TYPEOF: 'SF_TYPEOF',
  IS_ARRAY: 'SF_IS_ARRAY',
  IS_OBJECT: 'SF_IS_OBJECT',
  IS_INTEGER: 'SF_IS_INTEGER',
  IS_DECIMAL: 'SF_IS_DECIMAL',
  IS_VARCHAR: 'SF_IS_VARCHAR',
  IS_BOOLEAN: 'SF_IS_BOOLEAN',
  IS_NULL_VALUE: 'SF_IS_NULL_VALUE',
  OBJECT_KEYS: 'SF_OBJECT_KEYS',
  ARRAY_CONTAINS: 'SF_ARRAY_CONTAINS',
  ARRAY_TO_STRING: 'SF_ARRAY_TO_STRING',
  ARRAY_APPEND: 'SF_ARRAY_APPEND',
  ARRAY_CAT: 'SF_ARRAY_CAT',
  OBJECT_INSERT: 'SF_OBJECT_INSERT',
  OBJECT_AGG: 'JSON_GROUP_OBJECT',
  LAST_DAY: 'SF_LAST_DAY',
  DATE_FROM_PARTS: 'SF_DATE_FROM_PARTS',
  DATEFROMPARTS: 'SF_DATE_FROM_PARTS',
  TIME_FROM_PARTS: 'SF_TIME_FROM_PARTS',
  TIMEFROMPARTS: 'SF_TIME_FROM_PARTS',
  TIMESTAMP_FROM_PARTS: 'SF_TIMESTAMP_FROM_PARTS',
  TIMESTAMPFROMPARTS: 'SF_TIMESTAMP_FROM_PARTS',
  TIMESTAMP_NTZ_FROM_PARTS: 'SF_TIMESTAMP_FROM_PARTS',
  DAYNAME: 'SF_DAYNAME',
  MONTHNAME: 'SF_MONTHNAME',
  BOOLOR_AGG: 'SF_BOOLOR_AGG',
  BOOLAND_AGG: 'SF_BOOLAND_AGG',
  APPROX_COUNT_DISTINCT: 'APPROX_COUNT_DISTINCT'
}

const DATE_PART_SYNONYMS: Array<[string, string]> = [
  ['year', 'YEAR YEARS Y YY YYY YYYY YR YRS'],
  ['quarter', 'QUARTER QUARTERS Q QTR QTRS'],
  ['month', 'MONTH MONTHS MM MON MONS'],
  ['week', 'WEEK WEEKS W WK WEEKOFYEAR WOY WY'],
  ['day', 'DAY DAYS D DD DAYOFMONTH'],
  ['hour', 'HOUR HOURS H HH HR HRS'],
  ['minute', 'MINUTE MINUTES M MI MIN MINS'],
  ['second', 'SECOND SECONDS S SEC SECS'],
  ['millisecond', 'MILLISECOND MILLISECONDS MS MSEC'],
  ['microsecond', 'MICROSECOND MICROSECONDS US USEC'],
  ['nanosecond', 'NANOSECOND NANOSECONDS NS NSEC']
]
export const DATE_PARTS: Record<string, string> = Object.fromEntries(
  DATE_PART_SYNONYMS.flatMap(([part, names]) => names.split(' ').map(n => [n, part])))

/** Snowflake type name → DuckDB type; `null` params means Snowflake's (p,s) or (n) are dropped. */
export const TYPES: Record<string, { duck: string, keepParams: boolean }> = {
  NUMBER: { duck: 'DECIMAL', keepParams: true },
  NUMERIC: { duck: 'DECIMAL', keepParams: true },
  DECIMAL: { duck: 'DECIMAL', keepParams: true },
  DEC: { duck: 'DECIMAL', keepParams: true },
  INT: { duck: 'DECIMAL(38,0)', keepParams: false },
  INTEGER: { duck: 'DECIMAL(38,0)', keepParams: false },
  BIGINT: { duck: 'DECIMAL(38,0)', keepParams: false },
  SMALLINT: { duck: 'DECIMAL(38,0)', keepParams: false },
  TINYINT: { duck: 'DECIMAL(38,0)', keepParams: false },
  BYTEINT: { duck: 'DECIMAL(38,0)', keepParams: false },
  FLOAT: { duck: 'DOUBLE', keepParams: false },
  FLOAT4: { duck: 'DOUBLE', keepParams: false },
  FLOAT8: { duck: 'DOUBLE', keepParams: false },
  DOUBLE: { duck: 'DOUBLE', keepParams: false },
  REAL: { duck: 'DOUBLE', keepParams: false },
  VARCHAR: { duck: 'VARCHAR', keepParams: false },
  STRING: { duck: 'VARCHAR', keepParams: false },
  TEXT: { duck: 'VARCHAR', keepParams: false },
  CHAR: { duck: 'VARCHAR', keepParams: false },
  CHARACTER: { duck: 'VARCHAR', keepParams: false },
  NCHAR: { duck: 'VARCHAR', keepParams: false },
  NVARCHAR: { duck: 'VARCHAR', keepParams: false },
  NVARCHAR2: { duck: 'VARCHAR', keepParams: false },
  BINARY: { duck: 'BLOB', keepParams: false },
  VARBINARY: { duck: 'BLOB', keepParams: false },
  BOOLEAN: { duck: 'BOOLEAN', keepParams: false },
  DATE: { duck: 'DATE', keepParams: false },
  TIME: { duck: 'TIME', keepParams: false },
  DATETIME: { duck: 'TIMESTAMP', keepParams: false },
  TIMESTAMP: { duck: 'TIMESTAMP', keepParams: false },
  TIMESTAMP_NTZ: { duck: 'TIMESTAMP', keepParams: false },
  TIMESTAMP_LTZ: { duck: 'TIMESTAMPTZ', keepParams: false },
  TIMESTAMP_TZ: { duck: TIMESTAMP_TZ_TYPE, keepParams: false },
  VARIANT: { duck: 'JSON', keepParams: false },
  OBJECT: { duck: 'JSON', keepParams: false },
  ARRAY: { duck: 'JSON', keepParams: false }
}

export const WAIT_UNITS: Record<string, number> = {
  DAYS: 86_400_000, HOURS: 3_600_000, MINUTES: 60_000, SECONDS: 1000, MILLISECONDS: 1, MICROSECONDS: 0.001, NANOSECONDS: 0.000001
}

/** Functions (and casts) whose result Snowflake types OBJECT or ARRAY rather than VARIANT. */
export const VALUE_KINDS: Record<string, 'object' | 'array'> = Object.fromEntries([
  ...'OBJECT_CONSTRUCT OBJECT_CONSTRUCT_KEEP_NULL OBJECT_INSERT OBJECT_DELETE OBJECT_AGG OBJECT'.split(' ').map(f => [f, 'object']),
  ...'ARRAY_CONSTRUCT ARRAY_AGG ARRAYAGG SPLIT OBJECT_KEYS ARRAY_APPEND ARRAY_CAT ARRAY_COMPACT ARRAY_DISTINCT ARRAY_SLICE ARRAY'
    .split(' ').map(f => [f, 'array'])
])

/** A Snowflake path ('a.b[0]', 'a["x y"]') as a DuckDB JSON path ('$.a.b[0]'). */
export function snowflakePath (path: string): string {
  let out = '$'
  for (const m of path.matchAll(/\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]|\['((?:[^']|'')*)'\]|\.?"((?:[^"]|"")*)"|\.?([^.[\]"]+)/g)) {
    if (m[1] !== undefined) out += `[${m[1]}]`
    else out += '."' + (m[2] ?? m[3] ?? m[4] ?? m[5] ?? '') + '"'
  }
  return out
}

export const QUERY_STARTS = new Set(['SELECT', 'WITH', 'VALUES', 'FROM', 'TABLE', 'SHOW', 'DESCRIBE', 'DESC', 'EXPLAIN', '(', 'SUMMARIZE', 'CALL'])
export const NOOP_STARTS = new Set(['BEGIN', 'START', 'COMMIT', 'ROLLBACK', 'ALTER SESSION', 'SET', 'UNSET'])
