import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Logger } from 'pino'

declare module 'fastify' {
  interface FastifyRequest {
    /** Values of the action's `sensitive` variables in this request, kept out of logs and answers. */
    sensitiveValues: string[] | null
    /** The `error` code answered, for the request's log line. */
    errorCode?: string
  }
}

/** Replaces every sensitive value that occurs in `text`. */
export function scrub (text: string, values: string[]): string {
  let clean = text
  for (const value of values) {
    if (value.length > 0) clean = clean.split(value).join('[redacted]')
  }
  return clean
}

/** One line per request, with what an operator asks first: who, which action, what came out, how long. */
async function requestLog (app: FastifyInstance): Promise<void> {
  app.decorateRequest('sensitiveValues', null)
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
