import type { FastifyError, FastifyInstance } from 'fastify'
import type { ErrorDetails } from '../errors.js'

/** Fastify's own errors, renamed to codes a Studio script can branch on. */
const frameworkCodes: Record<number, string> = {
  400: 'BODY_INVALID',
  404: 'ROUTE_NOT_FOUND',
  413: 'BODY_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE'
}

/** Every error leaves as `{status: "error", error, message, details?, requestId}`; 5xx internals stay in the log. */
export function registerErrorHandler (app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError & ErrorDetails, request, reply) => {
    let status = error.statusCode ?? 500
    if (status < 400 || status > 599) status = 500
    let code = error.code ?? 'INTERNAL_ERROR'
    const redaction = request.redaction
    let message = redaction ? redaction.text(error.message) : error.message
    let details = error.details
    if (error.validation) {
      code = 'REQUEST_INVALID'
      details = error.validation.map((e) => ({ path: e.instancePath || '/', message: e.message }))
    } else if (code.startsWith('FST_')) {
      code = frameworkCodes[status] ?? code
    }
    if (redaction) details = redaction.value(details)
    if (status === 500) {
      request.log.error({ err: { type: error.name, message, stack: redaction ? redaction.text(error.stack ?? '') : error.stack } }, 'unexpected error')
      code = 'INTERNAL_ERROR'
      message = 'The gateway failed unexpectedly; the request id locates the details in its log'
      details = undefined
    } else if (status >= 500) {
      request.log.warn({ error: code, details }, message)
    }
    request.errorCode = code
    if (error.retryAfterSeconds !== undefined) reply.header('retry-after', String(error.retryAfterSeconds))
    reply.code(status).type('application/json; charset=utf-8').send({ status: 'error', error: code, message, ...(details !== undefined ? { details } : {}), requestId: request.id })
  })

  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send({ status: 'error', error: 'ROUTE_NOT_FOUND', message: `No route ${request.method} ${request.url}`, requestId: request.id })
  })
}
