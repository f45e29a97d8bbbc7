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
  app.get<{ Params: { queryId: string } }>('/v1/queries/:queryId', {
    schema: {
      tags: ['operations'],
      summary: 'What a query cost, from Snowflake\'s query history',
      params: {
        type: 'object',
        properties: { queryId: { type: 'string', pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$' } }
      },
      response: { 200: costSchema, ...errorResponses(400, 401, 404) }
    }
  }, async (request) => {
    const { queryId } = request.params
    const cost = app.warehouse.costs.get(queryId) ?? await app.warehouse.lookupCost(queryId)
    if (!cost) throw new QueryNotFound(queryId)
    return cost
  })
}
