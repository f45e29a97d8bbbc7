// DuckDB macros standing in for Snowflake functions (translate.ts renames calls to them) and the helpers the
// wire encoding uses (columns.ts). They live in the SF_SYSTEM catalog, which every statement's search path ends with.
import { TIMESTAMP_TZ_TYPE } from './columns.js'

const MACRO_SCHEMA = 'SF_SYSTEM.MAIN'

const MACROS: string[] = [
  // Wire encodings: epoch text with 9 fraction digits from microseconds / nanoseconds.
  // Decimal multiplication keeps the value exact (negative epochs too) and is far cheaper than string assembly.
  'SF_EPOCH_TEXT(us) AS CAST(CAST(us AS DECIMAL(18,0)) * CAST(0.000001 AS DECIMAL(7,6)) AS VARCHAR) || \'000\'',
  'SF_EPOCH_NS_TEXT(ns) AS CAST(CAST(ns AS DECIMAL(38,0)) * CAST(0.000000001 AS DECIMAL(10,9)) AS VARCHAR)',
  `SF_REAL_TEXT(x) AS CASE WHEN isnan(x) THEN 'NaN' WHEN isinf(x) AND x > 0 THEN 'Infinity'
    WHEN isinf(x) THEN '-Infinity' ELSE CAST(x AS VARCHAR) END`,
  // Offset in minutes written at the end of a timestamp text ('+02:00', '-0530', '+01'); none means UTC.
  `SF_TZ_OFFSET(s) AS (SELECT CASE WHEN o = '' THEN 0
    ELSE (CASE WHEN o[1] = '-' THEN -1 ELSE 1 END) *
      (CAST(o[2:3] AS INTEGER) * 60 + coalesce(TRY_CAST(nullif(replace(o[4:], ':', ''), '') AS INTEGER), 0)) END
    FROM (SELECT regexp_extract(s, '\\d:\\d\\d(?::\\d\\d(?:\\.\\d+)?)?\\s*([+-]\\d\\d(?::?\\d\\d)?)\\s*$', 1) AS o))`,
  // DuckDB reads '…10:00:00+02:00' but not '…10:00:00 +02:00': the space before an offset goes.
  `SF_TSTZ_TEXT(s) AS SF_EPOCH_TEXT(epoch_us(CAST(regexp_replace(s, '\\s+([+-]\\d\\d(:?\\d\\d)?)\\s*$', '\\1') AS TIMESTAMPTZ))) ||
    ' ' || CAST(1440 + SF_TZ_OFFSET(s) AS VARCHAR)`,
  // Snowflake functions.
  'SF_IFF(c, a, b) AS CASE WHEN c THEN a ELSE b END',
  'SF_NVL(a, b) AS coalesce(a, b)',
  'SF_NVL2(a, b, c) AS CASE WHEN a IS NOT NULL THEN b ELSE c END',
  'SF_ZEROIFNULL(a) AS coalesce(a, 0)',
  'SF_DIV0(a, b) AS CASE WHEN b = 0 THEN 0 ELSE a / b END',
  'SF_SQUARE(x) AS x * x',
  'SF_CHARINDEX(needle, hay) AS instr(hay, needle)',
  'SF_HASH(x) AS hash(x)',
  'SF_TO_BINARY(s) AS unhex(s)',
  // One-argument forms; translate.ts turns a format argument into strptime/strftime (formats must be constants).
  'SF_TO_VARCHAR(x) AS CAST(x AS VARCHAR)',
  'SF_TO_DATE(x) AS CAST(x AS DATE)',
  'SF_TRY_TO_DATE(x) AS TRY_CAST(x AS DATE)',
  'SF_TO_TIME(x) AS CAST(x AS TIME)',
  'SF_TO_TIMESTAMP_NTZ(x) AS CAST(x AS TIMESTAMP)',
  'SF_TO_TIMESTAMP_LTZ(x) AS CAST(x AS TIMESTAMPTZ)',
  `SF_TO_TIMESTAMP_TZ(x) AS CAST(CAST(x AS VARCHAR) AS ${TIMESTAMP_TZ_TYPE})`,
  'SF_TO_NUMBER(x) AS CAST(x AS DECIMAL(38,0)), (x, f) AS CAST(x AS DECIMAL(38,0))',
  'SF_TRY_TO_NUMBER(x) AS TRY_CAST(x AS DECIMAL(38,0))',
  'SF_TO_DOUBLE(x) AS CAST(x AS DOUBLE)',
  'SF_TO_BOOLEAN(x) AS CAST(x AS BOOLEAN)',
  'SF_PARSE_JSON(s) AS json(s)',
  'SF_TRY_PARSE_JSON(s) AS CASE WHEN json_valid(s) THEN json(s) END',
  'SF_TO_VARIANT(x) AS to_json(x)',
  'SF_SYSDATE() AS CAST(timezone(\'UTC\', now()) AS TIMESTAMP)',
  'SF_GETDATE() AS current_timestamp',
  'SF_UNIFORM(lo, hi, g) AS CAST(floor(lo + random() * (hi - lo + 1)) AS BIGINT)',
  'SF_RANDOM() AS CAST(floor((random() - 0.5) * 1.8e19) AS BIGINT), (seed) AS CAST(floor((random() - 0.5) * 1.8e19) AS BIGINT)',
  `SF_DATEADD(p, n, x) AS x + CASE p
    WHEN 'quarter' THEN CAST(CAST(n * 3 AS VARCHAR) || ' month' AS INTERVAL)
    WHEN 'nanosecond' THEN CAST(CAST(n // 1000 AS VARCHAR) || ' microsecond' AS INTERVAL)
    ELSE CAST(CAST(n AS VARCHAR) || ' ' || p AS INTERVAL) END`
]

export function macroStatements (): string[] {
  return MACROS.map(m => `CREATE OR REPLACE MACRO ${MACRO_SCHEMA}.${m}`)
}
