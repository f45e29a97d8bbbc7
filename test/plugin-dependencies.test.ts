import Fastify, { type FastifyInstance } from 'fastify'
import t from 'tap'
import { loadConfig } from '../src/config.js'
import configPlugin from '../src/plugins/config.js'
import docs from '../src/plugins/docs.js'
import health from '../src/plugins/health.js'
import jobs from '../src/plugins/jobs.js'
import loadShedding from '../src/plugins/load-shedding.js'
import metrics from '../src/plugins/metrics.js'
import rateLimits from '../src/plugins/rate-limit.js'
import { healthRoutes } from '../src/routes/health.js'
import { v1Routes } from '../src/routes/v1.js'

// Each plugin names the plugins whose decorators it uses: registered without them, or before them, the app
// does not start, rather than failing on the first request that reaches the missing decorator.

const alone: Array<[string, (app: FastifyInstance) => void, string]> = [
  ['metrics', (app) => { app.register(metrics) }, 'config'],
  ['load-shedding', (app) => { app.register(loadShedding) }, 'config'],
  ['health', (app) => { app.register(health) }, 'config'],
  ['docs', (app) => { app.register(docs) }, 'actions'],
  ['jobs', (app) => { app.register(jobs) }, 'config'],
  ['health-routes', (app) => { app.register(healthRoutes) }, 'health'],
  ['v1-routes', (app) => { app.register(v1Routes, { prefix: '/v1', rateLimit: { max: 0, windowSeconds: 60 } }) }, 'config'],
  ['rate-limits', (app) => { app.register(rateLimits, { max: 10, windowSeconds: 60 }) }, 'auth']
]

for (const [name, register, missing] of alone) {
  t.test(`${name} registered without its dependencies stops the start`, async (t) => {
    const app = Fastify()
    t.teardown(async () => await app.close().catch(() => {}))
    register(app)
    await t.rejects(async () => { await app.ready() }, {
      code: 'FST_ERR_PLUGIN_DEPENDENCY_NOT_REGISTERED',
      message: `The dependency '${missing}' of plugin '${name}' is not registered`
    })
  })
}

t.test('a dependency registered after the plugin that needs it is too late', async (t) => {
  const app = Fastify()
  t.teardown(async () => await app.close().catch(() => {}))
  app.register(loadShedding)
  app.register(configPlugin, { config: loadConfig({}) })
  await t.rejects(async () => { await app.ready() }, { code: 'FST_ERR_PLUGIN_DEPENDENCY_NOT_REGISTERED', message: /'config' of plugin 'load-shedding'/ })
})
