import type { FastifyInstance } from 'fastify'

export async function healthRoutes (app: FastifyInstance): Promise<void> {
  app.get('/health/live', {
    schema: {
      tags: ['health'],
      summary: 'The process is up',
      response: { 200: { type: 'object', properties: { status: { type: 'string', enum: ['ok'] } } } }
    }
  }, async () => ({ status: 'ok' }))
}
