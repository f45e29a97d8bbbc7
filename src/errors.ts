import createError from '@fastify/error'

// Every error the gateway answers with, declared once: code, status, message template.
export const RequestTargetInvalid = createError('REQUEST_TARGET_INVALID', 'The request target must be a path such as /v1/actions; absolute-form targets are for proxies', 400)
export const UrlInvalid = createError('URL_INVALID', 'The URL path is not valid: a percent-encoding in it does not decode', 400)
export const UrlTooLong = createError('URL_TOO_LONG', 'A segment of the URL path is longer than %d characters', 414)
export const RouteNotFound = createError('ROUTE_NOT_FOUND', 'No route answers this method and path', 404)
export const BodyInvalid = createError('BODY_INVALID', '%s', 400)
export const BodyTooLarge = createError('BODY_TOO_LARGE', 'The body is larger than the %d bytes the gateway accepts', 413)
/** The bodies the gateway reads: JSON, and forms (Studio's default content type). */
export const acceptedBodyTypes = ['application/json', 'application/x-www-form-urlencoded']
export const MediaTypeUnsupported = createError('UNSUPPORTED_MEDIA_TYPE', `The body %s: send it as ${acceptedBodyTypes.join(' or ')}`, 415)
export const RequestTimeout = createError('REQUEST_TIMEOUT', 'The request did not arrive within %d ms', 408)
export const HeadersTooLarge = createError('HEADERS_TOO_LARGE', 'The request line and headers are larger than the gateway accepts', 431)
export const RequestUnreadable = createError('REQUEST_INVALID', 'The request is not valid HTTP', 400)
export const Unauthenticated = createError('UNAUTHENTICATED', 'A valid API key is required (Authorization: Bearer <key>, or X-Api-Key)', 401)
export const KeyRevoked = createError('KEY_REVOKED', 'This API key has been revoked', 401)
export const AdminOnly = createError('ADMIN_ONLY', 'Only an admin tenant may do this', 403)
export const ActionForbidden = createError('ACTION_FORBIDDEN', "Tenant '%s' may not run action '%s'", 403)
export const RateLimited = createError('RATE_LIMITED', 'Too many requests for this action: %d per %d s; retry after %d s', 429)
export const ActionNotFound = createError('ACTION_NOT_FOUND', "No action '%s' is defined", 404)
export const VariablesInvalid = createError('VARIABLES_INVALID', 'The variables do not match the action\'s input schema: %s', 400)
export const PageInvalid = createError('PAGE_INVALID', '%s', 400)
export const CursorInvalid = createError('CURSOR_INVALID', '%s', 400)
export const CursorVariablesMismatch = createError('CURSOR_VARIABLES_MISMATCH', 'The cursor continues a result of other variables (%s differ); send the cursor alone, or run the action again without it', 400)
export const ResultExpired = createError('RESULT_EXPIRED', 'The result this cursor continues is no longer kept; send the same variables with the cursor, or run the action again', 410)
export const JobNotFound = createError('JOB_NOT_FOUND', "No job '%s' is known to this tenant (jobs expire after JOB_TTL_SECONDS)", 404)
export const CallbackUnavailable = createError('CALLBACK_UNAVAILABLE', 'A callback needs CXone configured on the gateway (CXONE_*); run the job without one and fetch GET /v1/jobs/{jobId}', 400)
export const AsyncCursor = createError('ASYNC_WITH_CURSOR', 'A cursor continues a result page by page; send it without mode async', 400)
export const QueryNotFound = createError('QUERY_NOT_FOUND', "No query '%s' is known to this gateway", 404)
export const OutputInvalid = createError('OUTPUT_INVALID', "Row %d from Snowflake does not match the action's output schema", 502)
export const RowTooLarge = createError('ROW_TOO_LARGE', 'Row %d alone is larger than the %d-byte response limit', 502)
export const StatementFailed = createError('STATEMENT_FAILED', 'Snowflake rejected the statement: %s', 502)
export const VariableRejected = createError('VARIABLE_REJECTED', 'Snowflake could not use a variable\'s value: %s', 422)
export const WarehouseUnavailable = createError('WAREHOUSE_UNAVAILABLE', 'Snowflake stayed unavailable within the deadline: %s', 503)
export const CacheUnavailable = createError('CACHE_UNAVAILABLE', 'The result cache did not answer: %s', 503)
export const DeadlineExceeded = createError('DEADLINE_EXCEEDED', 'The request did not finish within its %d ms deadline; the statement was cancelled', 504)
export const Overloaded = createError('OVERLOADED', 'The gateway is overloaded (%s); retry shortly, or on another replica', 503)
export const ShuttingDown = createError('SHUTTING_DOWN', 'The gateway is shutting down and cancelled this request; retry on another replica', 503)
export const ShutdownRefused = createError('SHUTTING_DOWN', 'The gateway is shutting down and takes no new requests; retry on another replica', 503)
export const MetricsTokenRequired = createError('UNAUTHENTICATED', 'GET /metrics needs Authorization: Bearer <METRICS_TOKEN>', 401)

/** Extra facts a client may act on, carried by an error into the JSON answer. */
export interface ErrorDetails {
  details?: unknown
  retryAfterSeconds?: number
  /** Response headers that tell the client what to send instead (e.g. Accept-Post on a 415). */
  headers?: Record<string, string>
}

export function withDetails<E extends Error> (error: E, extra: ErrorDetails): E & ErrorDetails {
  return Object.assign(error, extra)
}
