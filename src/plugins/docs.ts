import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { Action } from '../actions/load.js'
import { mayRun, type Tenants } from '../auth/tenants.js'
import { withActionOperations } from '../schemas/action-operations.js'
import { authenticate } from './auth.js'

export interface DocsOptions {
  /** Absent: demo mode, every action is shown to everyone. */
  tenants?: Tenants
}

/**
 * The OpenAPI document, built from the route schemas (dynamic mode), and Swagger UI at /docs.
 *
 * The generic document (the routes and their schemas, no action) is public, as is the committed openapi.yaml
 * that `npm run openapi` writes. /docs/json and /docs/yaml add one operation per loaded action
 * (action-operations.ts), but only the actions the caller's API key may run: action ids, SQL-shaped
 * variables and row schemas are a tenant's business. In demo mode every caller sees every action.
 */
async function docs (app: FastifyInstance, options: DocsOptions): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'cxone-snowflake-gateway', version: '0.1.0', description: 'Runs named Snowflake actions for NICE CXone Studio scripts' },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'A tenant\'s API key (not needed in demo mode, without API_KEYS_FILE)' },
          apiKey: { type: 'apiKey', in: 'header', name: 'X-Api-Key', description: 'The same key, in its own header' }
        }
      }
    },
    transformObject: (document) => 'openapiObject' in document ? withApiKeys(document.openapiObject) : document.swaggerObject
  })
  const actionsOf = (request: FastifyRequest): Action[] => {
    const caller = authenticate(options.tenants, request)
    if (caller instanceof Error) return []
    return [...app.actions.values()].filter((action) => mayRun(caller.tenant, action.id))
  }
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    // A copy of the cached document per request, with the caller's actions added.
    transformSpecificationClone: true,
    transformSpecification: (document, request) => withActionOperations(document, actionsOf(request)),
    uiConfig: { deepLinking: true, displayRequestDuration: true }
  })
}

/** Every `/v1` operation takes a tenant's key, in either header; health and metrics take none. */
function withApiKeys<T extends { paths?: object }> (document: T): T {
  for (const [path, item] of Object.entries((document.paths ?? {}) as Record<string, Record<string, unknown> | undefined>)) {
    if (!path.startsWith('/v1/') || !item) continue
    for (const operation of Object.values(item)) {
      if (operation && typeof operation === 'object' && 'responses' in operation) {
        (operation as { security?: unknown }).security = [{ bearer: [] }, { apiKey: [] }]
      }
    }
  }
  return document
}

// Not encapsulated: @fastify/swagger must see the routes registered beside it.
export default fp(docs, { name: 'docs', fastify: '5.x', dependencies: ['actions'] })
