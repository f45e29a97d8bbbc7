import underPressure from '@fastify/under-pressure'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { Overloaded, withDetails } from '../errors.js'

/** Probes and scrapes must still answer when the gateway is overloaded: that is when they matter. */
const exempt = (request: FastifyRequest): boolean => {
  const route = request.routeOptions.url ?? ''
  return route.startsWith('/health/') || route === '/metrics'
}

const limits: Record<string, string> = {
  eventLoopDelay: 'event loop delay',
  heapUsedBytes: 'heap used',
  rssBytes: 'resident memory',
  eventLoopUtilization: 'event loop utilization',
  healthCheck: 'health check'
}

/**
 * Refuses requests with 503 OVERLOADED and Retry-After while the event loop lags or the heap is nearly full,
 * rather than letting every request slow down together. Limits of 0 are off.
 */
async function loadShedding (app: FastifyInstance): Promise<void> {
  const { maxEventLoopDelayMs, maxHeapUsedBytes, sampleIntervalMs, retryAfterSeconds } = app.config.load
  await app.register(underPressure, {
    maxEventLoopDelay: maxEventLoopDelayMs,
    maxHeapUsedBytes,
    sampleInterval: sampleIntervalMs,
    retryAfter: retryAfterSeconds,
    pressureHandler: async (request, _reply, type, value) => {
      if (exempt(request)) return
      // No delay sample in an interval (under-pressure says Infinity) happens at start-up, when a busy
      // process starts its timers late: shedding then would refuse the first requests for nothing.
      if (type === 'eventLoopDelay' && !Number.isFinite(value)) return
      app.metrics.shed.inc({ reason: type })
      const measured = value === undefined ? '' : ` ${type === 'eventLoopDelay' ? `${Math.round(value)} ms` : `${value}`}`
      throw withDetails(new Overloaded(`${limits[type] ?? type}${measured} over its limit`), { retryAfterSeconds })
    }
  })
}

export default fp(loadShedding, { name: 'load-shedding', dependencies: ['config', 'metrics'] })
