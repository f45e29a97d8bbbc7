// Session parameters. The full set is echoed on every result: the driver's column converters read
// TIMEZONE, *_OUTPUT_FORMAT, BINARY_OUTPUT_FORMAT and JS_TREAT_INTEGER_AS_BIGINT from each result.
export type ParamValue = string | number | boolean

export const defaultParameters: Readonly<Record<string, ParamValue>> = {
  TIMEZONE: 'UTC',
  TIMESTAMP_OUTPUT_FORMAT: 'YYYY-MM-DD HH24:MI:SS.FF3 TZHTZM',
  TIMESTAMP_NTZ_OUTPUT_FORMAT: 'YYYY-MM-DD HH24:MI:SS.FF3',
  TIMESTAMP_LTZ_OUTPUT_FORMAT: '',
  TIMESTAMP_TZ_OUTPUT_FORMAT: '',
  DATE_OUTPUT_FORMAT: 'YYYY-MM-DD',
  TIME_OUTPUT_FORMAT: 'HH24:MI:SS',
  BINARY_OUTPUT_FORMAT: 'HEX',
  TIMESTAMP_TYPE_MAPPING: 'TIMESTAMP_NTZ',
  JS_TREAT_INTEGER_AS_BIGINT: false,
  CLIENT_SESSION_KEEP_ALIVE: false,
  CLIENT_SESSION_KEEP_ALIVE_HEARTBEAT_FREQUENCY: 3600,
  QUERY_TAG: '',
  STATEMENT_TIMEOUT_IN_SECONDS: 172800,
  AUTOCOMMIT: true
}

export type Parameters = Map<string, ParamValue>

export function initialParameters (fromLogin: Record<string, unknown> | undefined): Parameters {
  const params: Parameters = new Map(Object.entries(defaultParameters))
  for (const [name, value] of Object.entries(fromLogin ?? {})) {
    if (isParamValue(value)) params.set(name.toUpperCase(), value)
  }
  return params
}

export function isParamValue (value: unknown): value is ParamValue {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
}

/** Session parameters overlaid with a statement's own, as sent in `parameters` of a result. */
export function parameterList (session: Parameters, statement?: Record<string, unknown>): Array<{ name: string, value: ParamValue }> {
  const merged = new Map(session)
  for (const [name, value] of Object.entries(statement ?? {})) {
    if (isParamValue(value)) merged.set(name.toUpperCase(), value)
  }
  return [...merged].map(([name, value]) => ({ name, value }))
}

export function numberParam (value: ParamValue | undefined): number | undefined {
  if (value === undefined || value === '') return undefined
  const n = Number(value)
  return Number.isFinite(n) ? n : undefined
}
