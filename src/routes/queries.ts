import type { FastifyInstance } from 'fastify'
import { QueryNotFound } from '../errors.js'
import { errorResponses } from '../schemas/error.js'

const costSchema = {
  type: 'object',
  properties: {
    queryId: { type: 'string' },
    queryTag: { type: ['string', 'null'] },
    status: { type: 'string' },
    errorCode: { type: ['string', 'null'] },
    elapsedMs: { type: 'number' },
    bytesScanned: { type: 'number' },
    rowsProduced: { type: 'number' },
    creditsUsedCloudServices: { type: 'number' },
    startTime: { type: ['string', 'null'] },
    endTime: { type: ['string', 'null'] }
  }
} as const

export async function queryRoutes (app: FastifyInstance): Promise<void> {
  app.get<{ Params: { queryId: string } }>('/queries/:queryId', {
    config: { access: 'tenant' },
    schema: {
      tags: ['operations'],
      summary: 'What a query cost, from Snowflake\'s query history',
      description: 'A tenant sees the queries it ran through this replica; an admin also any other query id, looked up in the account\'s history.',
      params: {
        type: 'object',
        properties: { queryId: { type: 'string', pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$' } }
      },
      response: { 200: costSchema, ...errorResponses(400, 401, 404) }
    }
  }, async (request) => {
    const { queryId } = request.params
    const owner = app.warehouse.costs.ownerOf(queryId)
    // Another tenant's query, or one this gateway never ran (which would cost a warehouse statement to look up).
    if (!request.tenant.admin && owner !== request.tenant.name) throw new QueryNotFound(queryId)
    const cost = app.warehouse.costs.get(queryId) ?? await app.warehouse.lookupCost(queryId)
    if (!cost) throw new QueryNotFound(queryId)
    return cost
  })
}
