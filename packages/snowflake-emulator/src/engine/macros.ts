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
  // Text of any value; a VARIANT's string loses its JSON quotes, as Snowflake's ::STRING does.
  'SF_TEXT(x) AS CASE WHEN typeof(x) = \'JSON\' THEN json_extract_string(to_json(x), \'$\') ELSE CAST(x AS VARCHAR) END',
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
  'SF_TO_VARCHAR(x) AS SF_TEXT(x)',
  'SF_TO_DATE(x) AS CAST(x AS DATE)',
  'SF_TRY_TO_DATE(x) AS TRY_CAST(x AS DATE)',
  'SF_TO_TIME(x) AS CAST(x AS TIME)',
  'SF_TO_TIMESTAMP_NTZ(x) AS CAST(x AS TIMESTAMP)',
  'SF_TO_TIMESTAMP_LTZ(x) AS CAST(x AS TIMESTAMPTZ)',
  `SF_TO_TIMESTAMP_TZ(x) AS CAST(CAST(x AS VARCHAR) AS ${TIMESTAMP_TZ_TYPE})`,
  'SF_TO_NUMBER(x) AS CAST(x AS DECIMAL(38,0)), (x, f) AS CAST(x AS DECIMAL(38,0))',
  'SF_TRY_TO_NUMBER(x) AS TRY_CAST(x AS DECIMAL(38,0))',
  'SF_TO_DOUBLE(x) AS CAST(x AS DOUBLE)',
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
    ELSE CAST(CAST(n AS VARCHAR) || ' ' || p AS INTERVAL) END`,
  // Strings. Snowflake's INITCAP starts a word after whitespace or punctuation.
  'SF_STARTSWITH(s, p) AS starts_with(s, p)',
  'SF_ENDSWITH(s, p) AS ends_with(s, p)',
  `SF_INITCAP(s) AS array_to_string(list_transform(regexp_extract_all(s, '[^\\s!?@"^#$&~_,.:;+\\-*%/|\\\\\\[\\](){}<>]+|[\\s!?@"^#$&~_,.:;+\\-*%/|\\\\\\[\\](){}<>]+'),
    w -> upper(w[1]) || lower(w[2:])), '')`,
  // STRTOK splits on any of the delimiter characters and skips empty tokens.
  'SF_STRTOK(s, d, n) AS list_filter(regexp_split_to_array(s, \'[\' || regexp_replace(d, \'([\\[\\]\\\\^-])\', \'\\\\\\1\', \'g\') || \']\'), x -> x <> \'\')[n]',
  `SF_SPLIT_PART(s, d, n) AS CASE WHEN n < 0 THEN list_reverse(string_split(s, d))[-n] WHEN n = 0 THEN string_split(s, d)[1]
    ELSE string_split(s, d)[n] END`,
  'SF_SPLIT(s, d) AS to_json(string_split(s, d))',
  'SF_REPLACE(s, a) AS replace(s, a, \'\'), (s, a, b) AS replace(s, a, b)',
  'SF_BASE64_ENCODE(s) AS to_base64(CAST(s AS BLOB))',
  'SF_HEX_ENCODE(s) AS hex(s)',
  // DuckDB has no SHA-224/384/512.
  'SF_SHA2(s) AS sha256(s), (s, bits) AS CASE WHEN bits = 256 THEN sha256(s) ELSE error(\'SHA2 supports only 256 bits in the emulator\') END',
  // Regular expressions: REPLACE and COUNT work on every match; LIKE matches the whole subject.
  'SF_REGEXP_REPLACE(s, p) AS regexp_replace(s, p, \'\', \'g\'), (s, p, r) AS regexp_replace(s, p, r, \'g\')',
  `SF_REGEXP_SUBSTR(s, p) AS nullif(regexp_extract(s, p), ''),
    (s, p, pos) AS nullif(regexp_extract(s[pos:], p), ''),
    (s, p, pos, occ) AS regexp_extract_all(s[pos:], p)[occ]`,
  'SF_REGEXP_COUNT(s, p) AS len(regexp_extract_all(s, p))',
  'SF_REGEXP_LIKE(s, p) AS regexp_full_match(s, p)',
  'SF_REGEXP_INSTR(s, p) AS CASE WHEN regexp_matches(s, p) THEN strpos(s, regexp_extract(s, p)) ELSE 0 END',
  // Conditionals
  'SF_EQUAL_NULL(a, b) AS a IS NOT DISTINCT FROM b',
  'SF_BITAND(a, b) AS a & b',
  'SF_BITOR(a, b) AS a | b',
  'SF_NULLIFZERO(x) AS nullif(x, 0)',
  'SF_DIV0NULL(a, b) AS CASE WHEN b = 0 OR b IS NULL THEN 0 ELSE a / b END',
  'SF_NONZERO(x) AS CASE WHEN x = 0 THEN error(\'Division by zero\') ELSE x END',
  // TO_BOOLEAN reads Snowflake's words for true and false, and numbers as zero or not.
  `SF_TO_BOOLEAN(x) AS CASE WHEN lower(CAST(x AS VARCHAR)) IN ('true', 't', 'yes', 'y', 'on', '1') THEN true
    WHEN lower(CAST(x AS VARCHAR)) IN ('false', 'f', 'no', 'n', 'off', '0') THEN false
    WHEN TRY_CAST(CAST(x AS VARCHAR) AS DOUBLE) IS NOT NULL THEN TRY_CAST(CAST(x AS VARCHAR) AS DOUBLE) <> 0
    WHEN x IS NULL THEN NULL ELSE error('Boolean value ''' || CAST(x AS VARCHAR) || ''' is not recognized') END`,
  // Semi-structured
  'SF_GET_PATH(v, p) AS json_extract(CAST(v AS JSON), p)',
  'SF_GET_TEXT(v, p) AS json_extract_string(CAST(v AS JSON), p)',
  `SF_TYPEOF(v) AS CASE WHEN typeof(v) <> 'JSON' THEN CASE WHEN typeof(v) LIKE 'DECIMAL(%,0)' OR typeof(v) IN ('INTEGER', 'BIGINT', 'HUGEINT') THEN 'INTEGER'
      WHEN typeof(v) LIKE 'DECIMAL%' THEN 'DECIMAL' WHEN typeof(v) = 'TIMESTAMP' THEN 'TIMESTAMP_NTZ'
      WHEN typeof(v) = 'TIMESTAMP WITH TIME ZONE' THEN 'TIMESTAMP_LTZ' WHEN typeof(v) = 'BLOB' THEN 'BINARY' ELSE typeof(v) END
    ELSE CASE json_type(CAST(v AS JSON)) WHEN 'UBIGINT' THEN 'INTEGER' WHEN 'BIGINT' THEN 'INTEGER'
      WHEN 'DOUBLE' THEN CASE WHEN regexp_matches(CAST(v AS VARCHAR), '[eE]') THEN 'DOUBLE' ELSE 'DECIMAL' END
      WHEN 'NULL' THEN 'NULL_VALUE' ELSE json_type(CAST(v AS JSON)) END END`,
  "SF_IS_ARRAY(v) AS json_type(CAST(v AS JSON)) = 'ARRAY'",
  "SF_IS_OBJECT(v) AS json_type(CAST(v AS JSON)) = 'OBJECT'",
  "SF_IS_INTEGER(v) AS json_type(CAST(v AS JSON)) IN ('UBIGINT', 'BIGINT')",
  "SF_IS_DECIMAL(v) AS json_type(CAST(v AS JSON)) IN ('UBIGINT', 'BIGINT', 'DOUBLE')",
  "SF_IS_VARCHAR(v) AS json_type(CAST(v AS JSON)) = 'VARCHAR'",
  "SF_IS_BOOLEAN(v) AS json_type(CAST(v AS JSON)) = 'BOOLEAN'",
  "SF_IS_NULL_VALUE(v) AS json_type(CAST(v AS JSON)) = 'NULL'",
  'SF_OBJECT_KEYS(v) AS to_json(json_keys(CAST(v AS JSON)))',
  'SF_ARRAY_SIZE(v) AS json_array_length(CAST(v AS JSON))',
  'SF_ARRAY_CONTAINS(x, a) AS list_contains(CAST(CAST(a AS JSON) AS JSON[]), to_json(x))',
  'SF_ARRAY_TO_STRING(a, sep) AS array_to_string(list_transform(CAST(CAST(a AS JSON) AS JSON[]), e -> json_extract_string(e, \'$\')), sep)',
  'SF_ARRAY_APPEND(a, x) AS to_json(list_append(CAST(CAST(a AS JSON) AS JSON[]), to_json(x)))',
  'SF_ARRAY_CAT(a, b) AS to_json(list_concat(CAST(CAST(a AS JSON) AS JSON[]), CAST(CAST(b AS JSON) AS JSON[])))',
  'SF_OBJECT_INSERT(o, k, v) AS json_merge_patch(CAST(o AS JSON), json_object(CAST(k AS VARCHAR), v))',
  // Dates and times
  'SF_ADD_MONTHS(d, n) AS SF_DATEADD(\'month\', n, d)',
  `SF_LAST_DAY(d) AS CAST(date_trunc('month', CAST(d AS DATE)) + INTERVAL 1 MONTH - INTERVAL 1 DAY AS DATE),
    (d, p) AS CAST(date_trunc(p, CAST(d AS DATE)) + CAST('1 ' || p AS INTERVAL) - INTERVAL 1 DAY AS DATE)`,
  'SF_DATE_FROM_PARTS(y, m, d) AS CAST(make_date(CAST(y AS BIGINT), 1, 1) + to_months(CAST(m - 1 AS INTEGER)) + to_days(CAST(d - 1 AS INTEGER)) AS DATE)',
  'SF_TIME_FROM_PARTS(h, m, s) AS make_time(CAST(h AS BIGINT), CAST(m AS BIGINT), CAST(s AS DOUBLE))',
  'SF_TIMESTAMP_FROM_PARTS(y, mo, d, h, mi, s) AS make_timestamp(CAST(y AS BIGINT), CAST(mo AS BIGINT), CAST(d AS BIGINT), CAST(h AS BIGINT), CAST(mi AS BIGINT), CAST(s AS DOUBLE))',
  'SF_DAYNAME(d) AS strftime(d, \'%a\')',
  'SF_MONTHNAME(d) AS strftime(d, \'%b\')',
  'SF_CONVERT_TIMEZONE(src, tgt, ts) AS CAST(timezone(tgt, timezone(src, CAST(ts AS TIMESTAMP))) AS TIMESTAMP)',
  // A number (or a text of one) is time since the epoch: seconds, or ms, µs, ns by its size as Snowflake reads it.
  `SF_EPOCH_SCALE(n) AS CASE WHEN abs(n) < 31536000000 THEN 1000000 WHEN abs(n) < 31536000000000 THEN 1000
    WHEN abs(n) < 31536000000000000 THEN 1 ELSE 0.001 END`,
  `SF_EPOCH_OR_TIMESTAMP(x) AS CASE WHEN TRY_CAST(CAST(x AS VARCHAR) AS DECIMAL(38,3)) IS NOT NULL
    THEN make_timestamp(CAST(TRY_CAST(CAST(x AS VARCHAR) AS DECIMAL(38,3)) * SF_EPOCH_SCALE(TRY_CAST(CAST(x AS VARCHAR) AS DECIMAL(38,3))) AS BIGINT))
    ELSE CAST(CAST(x AS VARCHAR) AS TIMESTAMP) END`,
  'SF_BOOLOR_AGG(x) AS bool_or(CAST(x AS BOOLEAN))',
  'SF_BOOLAND_AGG(x) AS bool_and(CAST(x AS BOOLEAN))'
]

export function macroStatements (): string[] {
  return MACROS.map(m => `CREATE OR REPLACE MACRO ${MACRO_SCHEMA}.${m}`)
}
