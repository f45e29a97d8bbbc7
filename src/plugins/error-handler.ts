import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { acceptedBodyTypes, BodyInvalid, BodyTooLarge, MediaTypeUnsupported, RouteNotFound, UrlInvalid, UrlTooLong, withDetails, type ErrorDetails } from '../errors.js'
import { describeRequest, problemsOf, type RequestPart } from '../schemas/problems.js'

type AnsweredError = FastifyError & ErrorDetails

/** The longest path segment the router matches; a longer one is a 414 (Fastify's default). */
export const maxParamLength = 100

/** Fastify's own errors, as the gateway's: its codes and its fixed messages, which never echo the request. */
function fromFramework (error: FastifyError, request: FastifyRequest): Error | undefined {
  const bodyLimit = request.server.initialConfig.bodyLimit ?? 0
  switch (error.code) {
    case 'FST_ERR_BAD_URL': return new UrlInvalid()
    case 'FST_ERR_MAX_PARAM_LENGTH': return new UrlTooLong(maxParamLength)
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      // The types the gateway reads, never the one it was sent (that is the caller's text).
      return withDetails(new MediaTypeUnsupported(request.headers['content-type'] ? 'has a Content-Type the gateway does not read' : 'has no Content-Type'), {
        details: { accepted: acceptedBodyTypes },
        headers: { 'accept-post': acceptedBodyTypes.join(', ') }
      })
    case 'FST_ERR_CTP_BODY_TOO_LARGE': return new BodyTooLarge(bodyLimit)
    case 'FST_ERR_CTP_EMPTY_JSON_BODY': return new BodyInvalid('The body is empty, but its content-type says JSON')
    case 'FST_ERR_CTP_INVALID_JSON_BODY': return new BodyInvalid('The body is not valid JSON (or holds a __proto__ or constructor key)')
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH': return new BodyInvalid('The body is not as long as its Content-Length says')
  }
  // Reading the body failed (the client stopped sending, a bad encoding): the stream's own words stay in the log.
  if (error.code === undefined || error.code.startsWith('FST_') || error.code.startsWith('ERR_')) {
    const status = error.statusCode ?? 500
    if (status >= 400 && status < 500) return new BodyInvalid('The body could not be read')
  }
  return undefined
}

/** `{status: "error", error, message, details?, requestId}`: the one shape of every error answer. */
export function errorBody (code: string, message: string, requestId: string, details?: unknown): string {
  return JSON.stringify({ status: 'error', error: code, message, ...(details !== undefined ? { details } : {}), requestId })
}

function sendError (thrown: AnsweredError, request: FastifyRequest, reply: FastifyReply): void {
  const error: AnsweredError = thrown.validation
    ? thrown
    : (fromFramework(thrown, request) as AnsweredError | undefined) ?? thrown
  let status = error.statusCode ?? 500
  if (status < 400 || status > 599) status = 500
  // Absent on requests that never reached routing (frameworkErrors): they carry no sensitive values.
  const redaction = request.redaction ?? null
  let code = error.code ?? 'INTERNAL_ERROR'
  let message = redaction ? redaction.text(error.message) : error.message
  let details = redaction ? redaction.value(error.details) : error.details
  if (error.validation) {
    code = 'REQUEST_INVALID'
    const part = (error.validationContext ?? 'body') as RequestPart
    const schema = (request.routeOptions.schema as Partial<Record<RequestPart, unknown>> | undefined)?.[part]
    const described = describeRequest(part, error.validation, schema, part === 'body' && request.body === undefined)
    message = redaction ? redaction.text(described) : described
    details = problemsOf(error.validation)
  }
  if (status === 500) {
    request.log.error({ err: redaction ? redaction.value(thrown) : thrown }, 'unexpected error')
    code = 'INTERNAL_ERROR'
    message = 'The gateway failed unexpectedly; the request id locates the details in its log'
    details = undefined
  } else if (status >= 500) {
    request.log.warn({ error: code, details }, message)
  } else if (error !== thrown) {
    request.log.debug({ err: redaction ? redaction.value(thrown) : thrown }, 'refused by the framework')
  }
  request.errorCode = code
  // Set by the onRequest hook, except for errors raised before routing.
  reply.header('x-request-id', request.id)
  if (error.retryAfterSeconds !== undefined) reply.header('retry-after', String(error.retryAfterSeconds))
  for (const [name, value] of Object.entries(error.headers ?? {})) reply.header(name, value)
  reply.code(status).type('application/json; charset=utf-8').send(errorBody(code, message, request.id, details))
}

/**
 * Every error leaves in one envelope: the gateway's own, its plugins', and Fastify's (bad URL, 404, 413, 414,
 * 415). 5xx internals stay in the log. Errors raised before routing (`frameworkErrors`) come here too.
 */
export function registerErrorHandler (app: FastifyInstance): void {
  app.setErrorHandler(sendError)
  app.setNotFoundHandler((request, reply) => { sendError(new RouteNotFound(), request, reply) })
}

/** For Fastify's `frameworkErrors` option: a URL the router could not take. */
export const frameworkError = sendError
