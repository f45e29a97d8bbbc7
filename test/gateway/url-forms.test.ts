import Fastify from 'fastify'
import t from 'tap'
import { emulator, gateway, tenantsFile } from '../helper.js'
import { notAnEnvelope, send } from '../http.js'

// Every spelling of a URL that an attacker can send, against every /v1 route, with no key, a wrong key and a
// key of a tenant that may not use the route: never a 2xx, never a 5xx, always the error envelope.

const keys = { acme: 'acme-key-0123456789', beta: 'beta-key-0123456789', ops: 'ops-admin-key-0123456789' }
const apiKeysFile = tenantsFile(t, [
  { name: 'acme', key: keys.acme, actions: ['cached-customers'] },
  { name: 'beta', key: keys.beta },
  { name: 'ops', key: keys.ops, admin: true }
])

const warehouse = await emulator(t)
const gw = await gateway(t, warehouse, { API_KEYS_FILE: apiKeysFile })
const bearer = (key: string): Record<string, string> => ({ authorization: `Bearer ${key}` })

const ran = await gw.post('/v1/actions/customers-paged/execute', {}, bearer(keys.beta))
const betasQuery = ran.headers.get('x-snowflake-query-id') ?? ''
t.match(betasQuery, /^[0-9a-f-]{36}$/, 'beta ran a query')

interface Route {
  method: string
  path: string
  /** A key that may use the route, and one of a tenant that may not (none: every tenant may). */
  allowed: string
  refused?: string
}

const routes: Route[] = [
  { method: 'GET', path: '/v1/actions', allowed: keys.beta },
  { method: 'GET', path: '/v1/actions/customers-paged', allowed: keys.beta, refused: keys.acme },
  { method: 'POST', path: '/v1/actions/customers-paged/execute', allowed: keys.beta, refused: keys.acme },
  { method: 'POST', path: '/v1/actions/customers-paged/stream', allowed: keys.beta, refused: keys.acme },
  { method: 'DELETE', path: '/v1/actions/customers-paged/cache', allowed: keys.ops, refused: keys.beta },
  { method: 'GET', path: `/v1/queries/${betasQuery}`, allowed: keys.beta, refused: keys.acme },
  { method: 'GET', path: '/v1/connection', allowed: keys.ops, refused: keys.beta }
]

const hex = (c: string): string => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`

interface Form {
  name: string
  target: string
  /** The router takes it as the same route: with an allowed key it answers 2xx. */
  routes: boolean
}

function formsOf (path: string): Form[] {
  const segments = path.split('/').slice(1)
  const join = (parts: string[]): string => '/' + parts.join('/')
  const forms: Form[] = [
    { name: 'as it is', target: path, routes: true },
    { name: 'with a query string', target: `${path}?x=1`, routes: true },
    { name: 'every character of the first segment encoded', target: join([[...segments[0] as string].map(hex).join(''), ...segments.slice(1)]), routes: true },
    { name: 'lower-case hex', target: join([`%${'v'.charCodeAt(0).toString(16)}1`, ...segments.slice(1)]), routes: true },
    { name: 'absolute-form', target: `http://x${path}`, routes: false },
    { name: 'absolute-form, upper-case scheme', target: `HTTP://x${path}`, routes: false },
    { name: 'absolute-form with a port', target: `https://127.0.0.1:1${path}`, routes: false },
    { name: 'upper-case prefix', target: path.replace('/v1/', '/V1/'), routes: false },
    { name: 'leading double slash', target: `/${path}`, routes: false },
    { name: 'inner double slash', target: path.replace('/v1/', '/v1//'), routes: false },
    { name: 'dot segment', target: path.replace('/v1/', '/v1/./'), routes: false },
    { name: 'parent segment', target: `/x/..${path}`, routes: false },
    { name: 'encoded dot segment', target: path.replace('/v1/', '/v1/%2e/'), routes: false },
    { name: 'encoded slash', target: path.replace('/v1/', '/v1%2F'), routes: false },
    { name: 'bad percent-encoding', target: path.replace('/v1/', '/v1/%zz/'), routes: false },
    { name: 'an over-long last segment', target: join([...segments.slice(0, -1), 'a'.repeat(300)]), routes: false }
  ]
  // One character of each segment encoded, letters and digits alike.
  segments.forEach((segment, i) => {
    const at = Math.min(1, segment.length - 1)
    const encoded = segment.slice(0, at) + hex(segment[at] as string) + segment.slice(at + 1)
    forms.push({ name: `one character of segment ${i + 1} encoded`, target: join(segments.map((s, j) => j === i ? encoded : s)), routes: true })
  })
  return forms
}

const requestOf = (route: Route, target: string, headers: Record<string, string>): Parameters<typeof send>[1] =>
  route.method === 'POST'
    ? { method: route.method, target, headers: { 'content-type': 'application/json', ...headers }, body: '{}' }
    : { method: route.method, target, headers }

t.test('no spelling of a /v1 URL reaches a route without a key that may use it', async (t) => {
  let tried = 0
  for (const route of routes) {
    for (const form of formsOf(route.path)) {
      const callers: Array<[string, Record<string, string>]> = [
        ['no key', {}],
        ['a wrong key', bearer('not-a-key-at-all')],
        ['a wrong X-Api-Key', { 'x-api-key': 'not-a-key-at-all' }]
      ]
      if (route.refused) callers.push(['a key of a tenant that may not', bearer(route.refused)])
      for (const [who, headers] of callers) {
        const answer = await send(gw.url, requestOf(route, form.target, headers))
        tried++
        const what = `${route.method} ${form.target.slice(0, 80)} (${form.name}) with ${who}: ${answer.status}`
        if (answer.status < 400 || answer.status >= 500) t.fail(what, { body: answer.text.slice(0, 200) })
        const problem = notAnEnvelope(answer.text)
        if (problem) t.fail(`${what}: ${problem}`)
      }
    }
  }
  t.ok(tried > 300, `${tried} requests refused`)
})

t.test('the spellings the router takes do route, so the refusals above are the key checks', async (t) => {
  for (const route of routes) {
    for (const form of formsOf(route.path).filter((f) => f.routes)) {
      const answer = await send(gw.url, requestOf(route, form.target, bearer(route.allowed)))
      t.ok(answer.status >= 200 && answer.status < 300, `${route.method} ${form.target.slice(0, 80)} (${form.name}): ${answer.status}`)
    }
  }
})

t.test('absolute-form targets are refused with 400, whatever the key', async (t) => {
  const answer = await send(gw.url, { method: 'GET', target: 'http://x/v1/actions', headers: bearer(keys.beta) })
  t.equal(answer.status, 400)
  t.match(JSON.parse(answer.text), { status: 'error', error: 'REQUEST_TARGET_INVALID' })
  t.equal((await send(gw.url, { method: 'GET', target: 'http://x/health/live' })).status, 400, 'outside /v1 too')
})

t.test('the Bearer scheme is case-insensitive', async (t) => {
  for (const scheme of ['bearer', 'BEARER', 'BeArEr']) {
    const answer = await send(gw.url, { method: 'GET', target: '/v1/actions', headers: { authorization: `${scheme} ${keys.beta}` } })
    t.equal(answer.status, 200, scheme)
  }
})

t.test('a query\'s cost is shown to the tenant that ran it and to admins; others get 404', async (t) => {
  const own = await gw.get(`/v1/queries/${betasQuery}`, bearer(keys.beta))
  t.equal(own.status, 200)
  t.match(await own.json(), { queryId: betasQuery, queryTag: 'customers-paged:1' })
  const other = await gw.get(`/v1/queries/${betasQuery}`, bearer(keys.acme))
  t.equal(other.status, 404)
  t.match(await other.json(), { status: 'error', error: 'QUERY_NOT_FOUND' })
  t.equal((await gw.get(`/v1/queries/${betasQuery}`, bearer(keys.ops))).status, 200, 'an admin')

  const unknown = '01234567-89ab-cdef-0123-456789abcdef'
  const before = warehouse.controls.queryLog().length
  t.equal((await gw.get(`/v1/queries/${unknown}`, bearer(keys.beta))).status, 404, 'an id this gateway never ran')
  t.equal(warehouse.controls.queryLog().length, before, 'costs no warehouse statement for a tenant')
  t.equal((await gw.get(`/v1/queries/${unknown}`, bearer(keys.ops))).status, 404, 'an admin may look it up in the history')
  t.ok(warehouse.controls.queryLog().length > before, 'which the admin\'s look-up did')
})

t.test('a route inside /v1 that declares no access stops the start', async (t) => {
  const { v1Routes } = await import('../../src/routes/v1.js')
  const { default: redis } = await import('../../src/plugins/redis.js')
  const probe = Fastify()
  t.teardown(async () => await probe.close())
  await t.rejects(async () => {
    await probe.register(redis)
    await probe.register(async (api) => {
      await v1Routes(api, { rateLimit: { max: 0, windowSeconds: 60 } })
      api.get('/undeclared', async () => ({ open: true }))
    }, { prefix: '/v1' })
    await probe.ready()
  }, /GET \/v1\/undeclared: an authenticated route must declare config\.access/)
})
