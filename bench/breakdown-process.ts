// The gateway as deployed (gateway-process.ts), plus routes that each stop a page-1 hit after one more step of
// its work, for the breakdown of where a hit's CPU goes (breakdown.ts). None of them checks auth or limits.
import type { FastifyInstance } from 'fastify'
import type { Action } from '../src/actions/load.js'
import { openTenant } from '../src/auth/tenants.js'
import { resultKey } from '../src/cache/result-key.js'
import { loadConfig } from '../src/config.js'
import { Call } from '../src/execution/call.js'
import { renderPage } from '../src/execution/render-page.js'
import { runAction } from '../src/execution/run-action.js'
import { createService } from '../src/service.js'
import { Timings } from '../src/timings.js'
import { peakRssMb } from './shared.js'

interface Hit { Body: { variables: Record<string, unknown> } }

const service = await createService(loadConfig(process.env))
const app: FastifyInstance = service.app
const json = 'application/json; charset=utf-8'
const actionOf = (): Action => app.actions.get('bench-page') as Action
const keyOf = (action: Action, variables: Record<string, unknown>): string =>
  resultKey(openTenant.name, action, app.warehouse.connections.scope({ role: action.role, warehouse: action.warehouse }), variables)

// 1. One GET of the stored page-1 answer (the floor's work, in the gateway's app with its global hooks).
app.post<Hit>('/__breakdown/get', async (request, reply) => {
  return await reply.type(json).send(await app.redis?.client.get(`bench-breakdown:${String(request.body.variables.fromCustomerId)}`))
})
// 2. The result key and the cache read (deadline, breaker, MAC, header), the stored rows sent in a bare array.
app.post<Hit>('/__breakdown/read', async (request, reply) => {
  const read = await app.cache.read(keyOf(actionOf(), request.body.variables), 0, 25, 25)
  return await reply.type(json).send(read.status === 'hit' ? `[${read.rows.text}]` : '[]')
})
// 3. runAction and renderPage: the whole answer, without the route's headers, schemas, auth and limits.
app.post<Hit>('/__breakdown/render', async (request, reply) => {
  const action = actionOf()
  const timings = new Timings()
  const call = new Call(action.timeoutMs)
  const page = await runAction(app, { action, tenant: openTenant.name, refresh: false, variables: request.body.variables, call, timings })
  call.dispose()
  return await reply.type(json).send(renderPage(action, page, timings.profile(), app.cursors, app.config.responseMaxBytes).body)
})

console.log(await app.listen({ port: 0, host: '127.0.0.1' }))

process.once('SIGTERM', () => {
  console.log(JSON.stringify({ peakRssMb: peakRssMb() }))
  service.close().then(() => process.exit(0), (err: unknown) => { console.error(err); process.exit(1) })
})
process.once('disconnect', () => process.exit(1))
