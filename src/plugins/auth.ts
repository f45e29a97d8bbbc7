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
    /**
     * Who may call a route of the authenticated context: any tenant, a tenant allowed the action in `:id`, or
     * an admin tenant. Every route there must say; one that does not stops the start.
     */
    access?: 'tenant' | 'action' | 'admin'
  }
}

const accessLevels = new Set(['tenant', 'action', 'admin'])
// The scheme is case-insensitive (RFC 9110).
const bearer = /^bearer[ \t]+(.+)$/i

function presentedKey (request: FastifyRequest): string | undefined {
  const authorization = request.headers.authorization
  const token = authorization === undefined ? undefined : bearer.exec(authorization)?.[1]?.trim()
  if (token) return token
  const apiKey = request.headers['x-api-key']
  return typeof apiKey === 'string' && apiKey.length > 0 ? apiKey : undefined
}

export interface Caller {
  tenant: Tenant
  keyId?: string
}

/** The caller named by its API key, or why it is refused; without a tenants file (demo mode) the open admin tenant. */
export function authenticate (tenants: Tenants | undefined, request: FastifyRequest): Caller | Error {
  if (!tenants) return { tenant: openTenant }
  const key = presentedKey(request)
  const check = key ? tenants.check(key) : { status: 'unknown' as const }
  if (check.status === 'ok') return { tenant: check.tenant, keyId: check.keyId }
  return check.status === 'revoked' ? new KeyRevoked() : new Unauthenticated()
}

/**
 * Authenticates every request of the context it is registered in, and checks each route's declared `access`.
 * Hooks of an encapsulated context apply to its routes whatever spelling of the URL the router matched
 * (percent-encoded, absolute-form), so no path check can be stepped around.
 */
async function auth (app: FastifyInstance, options: { tenants?: Tenants }): Promise<void> {
  app.decorateRequest('tenant', null as unknown as Tenant)
  app.addHook('onRoute', (route) => {
    const access = route.config?.access
    if (!accessLevels.has(access ?? '')) {
      throw new Error(`${String(route.method)} ${route.url}: an authenticated route must declare config.access (tenant, action or admin)`)
    }
  })
  app.addHook('onRequest', (request, reply, done) => {
    const caller = authenticate(options.tenants, request)
    if (caller instanceof Error) {
      reply.header('www-authenticate', 'Bearer')
      return done(caller)
    }
    request.tenant = caller.tenant
    // Named on the request's one log line; a child logger per request costs more than it gives.
    request.keyId = caller.keyId
    done(forbidden(request))
  })
}

/** Why the request's tenant may not use its route, if it may not. */
function forbidden (request: FastifyRequest): Error | undefined {
  const access = request.routeOptions.config.access
  if (access === 'admin' && !request.tenant.admin) return new AdminOnly()
  if (access === 'action') {
    const actionId = (request.params as { id?: string } | undefined)?.id
    if (actionId === undefined || !mayRun(request.tenant, actionId)) return new ActionForbidden(request.tenant.name, actionId ?? '')
  }
  return undefined
}

export default fp(auth, { name: 'auth' })
