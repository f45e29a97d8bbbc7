import type { ServerResponse } from 'node:http'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { Logger } from 'pino'
import { inFlight, Redaction } from '../redaction.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** Scrubs the values of the action's `sensitive` variables from this request's answers and log lines; null when it has none. */
    redaction: Redaction | null
    /** The `error` code answered, for the request's log line. */
    errorCode?: string
  }
}

const heldBy = new WeakMap<ServerResponse, Redaction>()

// One listener for every response, not a closure per request: this runs on the benchmarked cache-hit path.
function releaseHeld (this: ServerResponse): void {
  const redaction = heldBy.get(this)
  heldBy.delete(this)
  if (redaction) inFlight.release(redaction)
}

/**
 * Keeps a request's sensitive values out of its answer and its log lines, and out of the driver's lines
 * until its response closes. Nothing is built for a request without any.
 */
export function guardSensitiveValues (request: FastifyRequest, reply: FastifyReply, values: string[] | null): void {
  const redaction = Redaction.of(values)
  if (redaction === null) return
  request.redaction = redaction
  // A response already closed would never release its hold; its caller is gone and its work is being cancelled.
  if (reply.raw.destroyed || heldBy.has(reply.raw)) return
  inFlight.hold(redaction)
  heldBy.set(reply.raw, redaction)
  reply.raw.on('close', releaseHeld)
}

/** One line per request, with what an operator asks first: who, which action, what came out, how long. */
async function requestLog (app: FastifyInstance): Promise<void> {
  app.decorateRequest('redaction', null)
  app.addHook('onResponse', (request, reply, done) => {
    const status = reply.statusCode
    const level = status >= 500 ? 'error' : 'info'
    // Built only when it will be written: at warn level, every request would pay for a line nobody sees.
    if (!(request.log as Logger).isLevelEnabled(level)) return done()
    const header = (name: string): string | undefined => reply.getHeader(name) as string | undefined
    request.log[level]({
      method: request.method,
      route: request.routeOptions.url ?? request.url.split('?')[0],
      tenant: request.tenant?.name,
      keyId: request.keyId,
      action: (request.params as { id?: string } | undefined)?.id,
      status,
      error: request.errorCode,
      cache: header('x-cache'),
      queryId: header('x-snowflake-query-id'),
      rows: header('x-rows'),
      durationMs: Math.round(reply.elapsedTime * 100) / 100
    }, 'request')
    done()
  })
}

export default fp(requestLog, { name: 'request-log' })
