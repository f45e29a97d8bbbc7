import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Action } from '../actions/load.js'
import { withActionOperations } from '../schemas/action-operations.js'

export interface DocsOptions {
  actions: ReadonlyMap<string, Action>
}

/**
 * The OpenAPI document, built from the route schemas (dynamic mode), and Swagger UI at /docs.
 *
 * The document also gets one operation per loaded action (see action-operations.ts). Those depend on the
 * deployment's ACTIONS_DIR, so the committed openapi.yaml, written by `npm run openapi` from an app with no
 * actions, holds only the generic operations; /docs/json and /docs/yaml serve the full document.
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
    transformObject: (document) => 'openapiObject' in document
      ? withApiKeys(withActionOperations(document.openapiObject, options.actions.values()))
      : document.swaggerObject
  })
  await app.register(swaggerUi, {
    routePrefix: '/docs',
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
export default fp(docs, { name: 'docs', fastify: '5.x' })
