import { createHash } from 'node:crypto'
import { Writable } from 'node:stream'
import t from 'tap'
import pino from 'pino'
import { createClient } from '@keyv/redis'
import { sharedRedisUrl } from '../redis.js'
import { emulator, gateway, type Gateway } from '../helper.js'

const sha256 = (key: string): string => createHash('sha256').update(key).digest('hex')
const keys = { acme: 'acme-key-0123456789', acmeOld: 'acme-revoked-key-0123', beta: 'beta-key-0123456789', ops: 'ops-admin-key-0123456789' }
const tenantsYaml = `
tenants:
  - name: acme
    actions: [cached-customers, customers-paged, lookup-by-text]
    rateLimit: { max: 5, windowSeconds: 60 }
    keys:
      - { id: studio-prod, sha256: ${sha256(keys.acme)} }
      - { id: studio-2023, sha256: ${sha256(keys.acmeOld)}, revoked: true }
  - name: beta
    keys:
      - { id: beta-main, sha256: ${sha256(keys.beta)} }
  - name: ops
    admin: true
    keys:
      - { id: ops, sha256: ${sha256(keys.ops)} }
`
const dir = t.testdir({ 'tenants.yaml': tenantsYaml })
const apiKeysFile = `${dir}/tenants.yaml`

// Database 8 of the machine's Redis belongs to this file.
const redisUrl = sharedRedisUrl(8)
const redis = createClient({ url: redisUrl })
await redis.connect()
await redis.flushDb()
t.teardown(async () => { await redis.quit() })

const logLines: string[] = []
const logger = pino({ level: 'info' }, new Writable({
  write (chunk: Buffer, _encoding, done) {
    logLines.push(chunk.toString())
    done()
  }
}))

const warehouse = await emulator(t)
const gw = await gateway(t, warehouse, { API_KEYS_FILE: apiKeysFile, REDIS_URL: redisUrl }, logger)
const bearer = (key: string): Record<string, string> => ({ authorization: `Bearer ${key}` })

async function execute (via: Gateway, id: string, body: unknown, headers: Record<string, string>): Promise<{ res: Response, answer: Record<string, unknown> }> {
  const res = await via.post(`/v1/actions/${id}/execute`, body, headers)
  return { res, answer: await res.json() as Record<string, unknown> }
}

t.test('each authentication outcome', async (t) => {
  const none = await execute(gw, 'customers-paged', {}, {})
  t.equal(none.res.status, 401)
  t.match(none.answer, { status: 'error', error: 'UNAUTHENTICATED', requestId: String })
  t.equal(none.res.headers.get('www-authenticate'), 'Bearer')

  const wrong = await execute(gw, 'customers-paged', {}, bearer('not-a-key'))
  t.equal(wrong.res.status, 401)
  t.equal(wrong.answer.error, 'UNAUTHENTICATED')

  const revoked = await execute(gw, 'customers-paged', {}, bearer(keys.acmeOld))
  t.equal(revoked.res.status, 401)
  t.equal(revoked.answer.error, 'KEY_REVOKED')

  t.equal((await execute(gw, 'customers-paged', {}, bearer(keys.acme))).res.status, 200, 'Authorization: Bearer')
  t.equal((await execute(gw, 'customers-paged', {}, { 'x-api-key': keys.acme })).res.status, 200, 'X-Api-Key')

  const forbidden = await execute(gw, 'echo-types', {}, bearer(keys.acme))
  t.equal(forbidden.res.status, 403)
  t.match(forbidden.answer, { error: 'ACTION_FORBIDDEN', message: "Tenant 'acme' may not run action 'echo-types'" })
  t.equal((await gw.get('/v1/actions/echo-types', bearer(keys.acme))).status, 403)

  const listed = await (await gw.get('/v1/actions', bearer(keys.acme))).json() as { actions: Array<{ id: string }> }
  t.same(listed.actions.map((a) => a.id).sort(), ['cached-customers', 'customers-paged', 'lookup-by-text'], 'a tenant sees only its actions')

  t.equal((await gw.get('/health/live')).status, 200, 'health needs no key')
})

t.test('admin-only operations', async (t) => {
  const asAcme = await fetch(`${gw.url}/v1/actions/cached-customers/cache`, { method: 'DELETE', headers: bearer(keys.acme) })
  t.equal(asAcme.status, 403)
  t.match(await asAcme.json(), { error: 'ADMIN_ONLY' })
  const asOps = await fetch(`${gw.url}/v1/actions/cached-customers/cache`, { method: 'DELETE', headers: bearer(keys.ops) })
  t.equal(asOps.status, 200)
  t.equal((await gw.get('/v1/connection', bearer(keys.beta))).status, 403)
  t.equal((await gw.get('/v1/connection', bearer(keys.ops))).status, 200)
})

t.test('tenant B can neither read tenant A\'s cached result nor use its cursor', async (t) => {
  const a = await execute(gw, 'cached-customers', { variables: { lastId: 'C000033' } }, bearer(keys.acme))
  t.equal(a.res.headers.get('x-cache'), 'MISS')
  t.equal((await execute(gw, 'cached-customers', { variables: { lastId: 'C000033' } }, bearer(keys.acme))).res.headers.get('x-cache'), 'HIT')
  const b = await execute(gw, 'cached-customers', { variables: { lastId: 'C000033' } }, bearer(keys.beta))
  t.equal(b.res.headers.get('x-cache'), 'MISS', 'the same variables under another tenant are another entry')
  const cursor = (a.answer.page as { nextCursor: string }).nextCursor
  const stolen = await execute(gw, 'cached-customers', { page: { cursor } }, bearer(keys.beta))
  t.equal(stolen.res.status, 400)
  t.match(stolen.answer, { error: 'CURSOR_INVALID', message: 'The cursor belongs to another tenant' })
  t.equal((await execute(gw, 'cached-customers', { page: { cursor } }, bearer(keys.acme))).res.status, 200)
})

t.test('rate limits per tenant and action hold across two gateways on one Redis', async (t) => {
  const replica = await gateway(t, warehouse, { API_KEYS_FILE: apiKeysFile, REDIS_URL: redisUrl })
  await redis.flushDb()
  const statuses: number[] = []
  let last: Response | undefined
  for (let i = 0; i < 6; i++) {
    last = await (i % 2 === 0 ? gw : replica).post('/v1/actions/lookup-by-text/execute', { variables: { customerId: 'C000001' } }, bearer(keys.acme))
    statuses.push(last.status)
  }
  t.same(statuses, [200, 200, 200, 200, 200, 429])
  t.equal(last?.headers.get('x-ratelimit-limit'), '5')
  t.match(last?.headers.get('retry-after'), /^\d+$/)
  t.match(await last?.json(), { status: 'error', error: 'RATE_LIMITED', requestId: String })
  const otherAction = await replica.post('/v1/actions/customers-paged/execute', {}, bearer(keys.acme))
  t.equal(otherAction.status, 200, 'each action has its own budget')
  t.equal(otherAction.headers.get('x-ratelimit-remaining'), '4')
  const otherTenant = await gw.post('/v1/actions/lookup-by-text/execute', { variables: { customerId: 'C000001' } }, bearer(keys.beta))
  t.equal(otherTenant.status, 200, 'and each tenant')
})

t.test('with Redis unreachable the limiter counts locally instead of failing', async (t) => {
  const isolated = await gateway(t, warehouse, { API_KEYS_FILE: apiKeysFile, REDIS_URL: 'redis://127.0.0.1:1/0' })
  const statuses: number[] = []
  for (let i = 0; i < 6; i++) statuses.push((await isolated.post('/v1/actions/customers-paged/execute', {}, bearer(keys.acme))).status)
  t.same(statuses, [200, 200, 200, 200, 200, 429])
})

t.test('one log line per request, and no key or sensitive value in any log line', async (t) => {
  logLines.length = 0
  const secret = 'C123456-secret-customer'
  const res = await gw.post('/v1/actions/lookup-by-text/execute', { variables: { customerId: secret } }, { ...bearer(keys.beta), 'x-request-id': 'log-check-1' })
  t.equal(res.status, 200)
  await gw.post('/v1/actions/lookup-by-text/execute', { variables: { customerId: secret } }, bearer('wrong-key-value'))
  warehouse.controls.injectFault({ match: /CUSTOMER_ID = \?/, times: 1, error: { code: '100038', sqlState: '22018', message: `Numeric value '${secret}' is not recognized` } })
  const rejected = await gw.post('/v1/actions/lookup-by-text/execute', { variables: { customerId: secret } }, bearer(keys.beta))
  t.equal(rejected.status, 422)
  t.notMatch(await rejected.text(), secret, 'not even echoed back in the error')
  await new Promise((resolve) => setTimeout(resolve, 100))
  const text = logLines.join('')
  for (const value of [secret, keys.beta, 'wrong-key-value']) t.notMatch(text, value)
  const line = logLines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.reqId === 'log-check-1')
  t.match(line, { msg: 'request', tenant: 'beta', keyId: 'beta-main', action: 'lookup-by-text', status: 200, cache: 'BYPASS', queryId: /^[0-9a-f-]{36}$/, durationMs: Number })
  t.equal(logLines.filter((l) => l.includes('"reqId":"log-check-1"')).length, 1, 'one line for the request')
})

t.test('RATE_LIMIT_MAX=0 turns rate limiting off', async (t) => {
  const unlimited = await gateway(t, warehouse, { RATE_LIMIT_MAX: '0' })
  const answers = await Promise.all(Array.from({ length: 3 }, async () => await unlimited.post('/v1/actions/customers-paged/execute', {})))
  t.same(answers.map((a) => a.status), [200, 200, 200])
  t.ok(answers.every((a) => a.headers.get('x-ratelimit-limit') === null), 'no limiter, no headers')
})
