import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

const dependencyCheck = {
  type: 'object',
  properties: {
    status: { type: 'string', enum: ['ok', 'failed'] },
    latencyMs: { type: 'number' },
    checkedAt: { type: 'string', format: 'date-time' },
    error: { type: 'string' },
    store: { type: 'string', enum: ['memory', 'redis'] }
  }
} as const

const readinessSchema = {
  type: 'object',
  properties: {
    status: { type: 'string', enum: ['ready', 'not_ready'] },
    shuttingDown: { type: 'boolean' },
    checks: {
      type: 'object',
      properties: {
        actions: { type: 'object', properties: { status: { type: 'string', enum: ['ok', 'failed'] }, count: { type: 'integer' } } },
        snowflake: dependencyCheck,
        cache: dependencyCheck
      }
    }
  }
} as const

async function health (app: FastifyInstance): Promise<void> {
  app.get('/health/live', {
    schema: {
      tags: ['health'],
      summary: 'The process is up',
      response: { 200: { type: 'object', properties: { status: { type: 'string', enum: ['ok'] } } } }
    }
  }, async () => ({ status: 'ok' }))

  app.get('/health/ready', {
    schema: {
      tags: ['health'],
      summary: 'Whether to send this replica traffic: actions loaded, Snowflake answers SELECT 1 (the cache\'s PING is reported, not required); 503 while shutting down',
      response: { 200: readinessSchema, 503: readinessSchema }
    }
  }, async (_request, reply) => {
    const report = await app.readiness.check()
    return await reply.code(report.status === 'ready' ? 200 : 503).send(report)
  })
}

export const healthRoutes = fp(health, { name: 'health-routes', encapsulate: true, dependencies: ['health'] })
