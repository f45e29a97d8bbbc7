import { timingSafeEqual } from 'node:crypto'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { MetricsTokenRequired } from '../errors.js'
import { GatewayMetrics } from '../metrics/gateway-metrics.js'

declare module 'fastify' {
  interface FastifyInstance {
    metrics: GatewayMetrics
  }
}

const executionRoutes = new Set(['/v1/actions/:id/execute', '/v1/actions/:id/stream'])

function sameToken (given: string, expected: string): boolean {
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

/**
 * Prometheus metrics at `GET /metrics`: request durations and outcomes from hooks, the warehouse's costs,
 * retries and cache faults from their listeners, cache and pool figures read at scrape time.
 * Registered before the routes, so its hooks see every one of them.
 */
async function metricsPlugin (app: FastifyInstance): Promise<void> {
  const metrics = new GatewayMetrics({
    cacheStats: () => app.cache.stats,
    poolStats: () => app.warehouse.connections.stats(),
    redisStats: () => app.redis?.stats,
    costStatements: () => app.warehouse.costs.statements,
    sessionChecks: () => app.warehouse.connections.sessionChecks,
    fillsSkipped: () => app.fills.skipped,
    fillsRunning: () => app.fills.busy,
    // The health plugin registers after this one (these hooks must see every route); it is there by the first scrape.
    ready: async () => (await app.readiness.check()).status === 'ready'
  })
  app.decorate('metrics', metrics)
  const stops = [
    app.warehouse.costs.recorded.on((cost) => metrics.recordCost(cost)),
    app.warehouse.retries.on((error) => metrics.recordRetry(error)),
    app.cache.faults.on((operation) => metrics.cacheFaults.inc({ operation }))
  ]
  app.addHook('onClose', async () => { for (const stop of stops) stop() })

  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched'
    const id = (request.params as { id?: unknown } | undefined)?.id
    // Only defined actions become labels: an unknown id in a URL must not grow the series.
    const action = typeof id === 'string' && app.actions.has(id) ? id : ''
    const status = reply.statusCode
    metrics.requestDuration.observe({ method: request.method, route, action, status }, reply.elapsedTime / 1000)
    if (status === 429) metrics.rateLimited.inc({ route })
    if (!executionRoutes.has(route)) return done()
    // Set by the error handler when it answered with an error code.
    const code = request.errorCode
    if (code === 'OUTPUT_INVALID') metrics.outputInvalid.inc({ action })
    const outcome = status < 400 ? (reply.getHeader('x-cache') === 'HIT' ? 'cache_hit' : 'ok') : code ?? `http_${status}`
    metrics.executions.inc({ action, outcome })
    done()
  })

  app.get('/metrics', {
    schema: {
      tags: ['operations'],
      summary: 'Prometheus metrics (text exposition format); a bearer token when METRICS_TOKEN is set',
      produces: ['text/plain']
    }
  }, async (request: FastifyRequest, reply: FastifyReply) => {
    const token = app.config.metricsToken
    if (token) {
      const given = /^Bearer (.+)$/i.exec(request.headers.authorization ?? '')?.[1] ?? ''
      if (!sameToken(given, token)) {
        reply.header('www-authenticate', 'Bearer realm="metrics"')
        throw new MetricsTokenRequired()
      }
    }
    return await reply.type(metrics.registry.contentType).send(await metrics.registry.metrics())
  })
}

export default fp(metricsPlugin, { name: 'metrics', dependencies: ['config', 'actions', 'warehouse', 'result-cache', 'redis'] })
