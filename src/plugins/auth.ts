import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { mayRun, openTenant, type Tenant, type Tenants } from '../auth/tenants.js'
import { ActionForbidden, AdminOnly, KeyRevoked, Unauthenticated } from '../errors.js'

declare module 'fastify' {
  interface FastifyRequest {
    tenant: Tenant
    /** The label of the key the caller used, for the request's log line. */
    keyId?: string
  }
  interface FastifyContextConfig {
    /** `admin`: admin tenants only; `action`: the tenant must be allowed the action in `:id`. */
    access?: 'admin' | 'action'
  }
}

function presentedKey (request: FastifyRequest): string | undefined {
  const authorization = request.headers.authorization
  if (authorization?.startsWith('Bearer ')) return authorization.slice('Bearer '.length).trim()
  const apiKey = request.headers['x-api-key']
  return typeof apiKey === 'string' ? apiKey : undefined
}

/**
 * Every `/v1` request names its tenant by API key; without a tenants file (demo mode) the gateway is
 * open and every caller is the admin tenant `public`.
 */
async function auth (app: FastifyInstance, options: { tenants?: Tenants }): Promise<void> {
  app.decorateRequest('tenant', null as unknown as Tenant)
  app.addHook('onRequest', (request, reply, done) => {
    if (!request.url.startsWith('/v1/')) return done()
    if (!options.tenants) {
      request.tenant = openTenant
    } else {
      const key = presentedKey(request)
      const check = key ? options.tenants.check(key) : { status: 'unknown' as const }
      if (check.status !== 'ok') {
        reply.header('www-authenticate', 'Bearer')
        return done(check.status === 'revoked' ? new KeyRevoked() : new Unauthenticated())
      }
      request.tenant = check.tenant
      // Named on the request's one log line; a child logger per request costs more than it gives.
      request.keyId = check.keyId
    }
    done(forbidden(request))
  })
}

/** Why the request's tenant may not use its route, if it may not. */
function forbidden (request: FastifyRequest): Error | undefined {
  const access = request.routeOptions.config.access
  if (access === 'admin' && !request.tenant.admin) return new AdminOnly()
  const actionId = (request.params as { id?: string } | undefined)?.id
  if (access === 'action' && actionId && !mayRun(request.tenant, actionId)) return new ActionForbidden(request.tenant.name, actionId)
  return undefined
}

export default fp(auth, { name: 'auth' })
