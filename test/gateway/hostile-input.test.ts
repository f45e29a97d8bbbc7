import t from 'tap'
import { emulator, gateway, tenantsFile } from '../helper.js'
import { notAnEnvelope, send, type RawRequest } from '../http.js'

// Generated hostile requests (fixed seed, so a failure replays): URL spellings, methods, keys, content types,
// bodies of every shape. None may get a 5xx, and every error must come in the envelope with nothing leaked.

const keys = { acme: 'acme-key-0123456789', ops: 'ops-admin-key-0123456789' }
const apiKeysFile = tenantsFile(t, [
  { name: 'acme', key: keys.acme, actions: ['customers-paged', 'lookup-by-text', 'echo-types'] },
  { name: 'ops', key: keys.ops, admin: true }
])

const warehouse = await emulator(t)
const gw = await gateway(t, warehouse, { API_KEYS_FILE: apiKeysFile, RATE_LIMIT_MAX: '100000' })

/** mulberry32: small, fast and the same on every machine. */
function random (seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let x = Math.imul(a ^ (a >>> 15), 1 | a)
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296
  }
}
const next = random(0x5eed)
const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T
const chance = (p: number): boolean => next() < p
const hex = (c: string): string => [...Buffer.from(c)].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('')

const ids = ['customers-paged', 'lookup-by-text', 'echo-types', 'cached-customers', 'short-lived', 'nope', '..', '%2e%2e', 'a'.repeat(120), '__proto__', 'constructor', 'CUSTOMERS-PAGED', '%00', 'é']
const templates = ['/v1/actions/{id}/execute', '/v1/actions/{id}/execute', '/v1/actions/{id}/stream', '/v1/actions/{id}', '/v1/actions', '/v1/actions/{id}/cache',
  '/v1/queries/{q}', '/v1/connection', '/v1', '/docs/json', '/docs/yaml', '/health/live', '/health/ready', '/metrics', '/', '/v2/actions']
const queryIds = ['01234567-89ab-cdef-0123-456789abcdef', 'not-a-uuid', "'; DROP TABLE x; --", '']
const strings = ['C000001', 'C000050', '', ' ', 'GOLD', "O'Brien", 'line\nbreak', 'tab\there', '"quoted"', '\\', '%zz', '\u0000', '💥', 'x'.repeat(3000), '1e309', '-0', 'NaN', 'null', 'true', '2024-02-30', '9999-12-31', "' OR 1=1 --", '$$', ':name']
const values: readonly unknown[] = [...strings, 0, -1, 1.5, 2 ** 53 + 1, 1e308, -1e-308, true, false, null, [], [1, 'two', null], {}, { nested: { deeper: [{}] } }]

function mutatePath (path: string): string {
  let p = path
  const steps = Math.floor(next() * 3)
  for (let i = 0; i < steps; i++) {
    switch (Math.floor(next() * 10)) {
      case 0: { const at = Math.floor(next() * p.length); const c = p[at] as string; if (c !== '/') p = p.slice(0, at) + hex(c) + p.slice(at + 1); break }
      case 1: p = p.replace('/', '//'); break
      case 2: p = p.replace(/\/[^/]*$/, (last) => `/.${last}`); break
      case 3: p = `/x/..${p}`; break
      case 4: p = p.toUpperCase(); break
      case 5: p = `${pick(['http://x', 'HTTP://x', 'https://127.0.0.1:9'])}${p}`; break
      case 6: p = `${p}?${pick(['a=b', '__proto__[x]=1', 'x=%zz', 'cursor=' + 'c'.repeat(500)])}`; break
      case 7: p = p.replace('/v1', pick(['/%76%31', '/v%31', '/%56%31', '/v1%2f'])); break
      case 8: p = `${p}/${pick(['', 'extra', '%zz', 'a'.repeat(200)])}`; break
      default: p = p.replace('/v1/', '/v1/;x=1/')
    }
  }
  return p
}

function variables (): Record<string, unknown> {
  const names = ['customerId', 'lastId', 'name', 'count', 'flag', 'day', 'ratio', 'note', '__proto__', 'constructor', 'unknown', '']
  const out: Record<string, unknown> = {}
  const count = Math.floor(next() * 5)
  for (let i = 0; i < count; i++) out[pick(names)] = pick(values)
  return out
}

function jsonBody (): string {
  switch (Math.floor(next() * 9)) {
    case 0: return JSON.stringify({ variables: variables() })
    case 1: return JSON.stringify({ variables: variables(), page: { size: pick(values), cursor: pick([...strings, 'eyJhIjoxfQ.x', 'a.b.c']) } })
    case 2: return '{"variables":{"__proto__":{"admin":true}},"page":{"constructor":{"prototype":{}}}}'
    case 3: return pick(['{', '{"variables":', 'null', '[]', '"text"', '1', '{"variables":[1,2]}', '{"variables":null}', ''])
    case 4: return JSON.stringify(variables())
    case 5: return JSON.stringify({ variables: variables(), all: pick(values), mode: pick(values) })
    case 6: return '{"variables":' + '['.repeat(2000) + ']'.repeat(2000) + '}'
    case 7: return JSON.stringify({ variables: { customerId: 'C000001' }, page: { size: 5 } })
    default: return JSON.stringify({ variables: { name: pick(strings), count: pick(values), flag: pick(values), day: pick(strings) } })
  }
}

function formBody (): string {
  const fields: string[] = []
  const count = 1 + Math.floor(next() * 4)
  for (let i = 0; i < count; i++) {
    const key = pick(['variables', 'page', 'variables[customerId]', 'variables[__proto__]', 'page[size]', 'page[cursor]', 'customerId', '__proto__', 'constructor', '%5F%5Fproto%5F%5F', 'variables[constructor][prototype]', 'a[b][c]', ''])
    const value = pick([JSON.stringify(variables()), JSON.stringify({ size: pick(values) }), String(pick(strings)), '{', '%zz', '{"__proto__":{"x":1}}'])
    fields.push(`${key.startsWith('%') ? key : encodeURIComponent(key)}=${encodeURIComponent(value)}`)
  }
  return chance(0.2) ? jsonBody() : fields.join('&')
}

function generate (): RawRequest {
  const template = pick(templates)
  // Bytes a request line cannot carry as they are go percent-encoded, as a client would send them.
  const path = mutatePath(template.replace('{id}', pick(ids)).replace('{q}', pick(queryIds))).replace(/[^\x21-\x7e]/g, hex)
  const method = template.includes('/execute') || template.includes('/stream') ? (chance(0.85) ? 'POST' : pick(['GET', 'PUT', 'DELETE', 'OPTIONS', 'PATCH'])) : pick(['GET', 'GET', 'DELETE', 'POST', 'HEAD', 'OPTIONS'])
  const headers: Record<string, string> = {}
  const auth = Math.floor(next() * 8)
  if (auth === 1 || auth === 5) headers.authorization = `Bearer ${keys.acme}`
  if (auth === 2) headers.authorization = `bearer ${keys.ops}`
  if (auth === 3) headers.authorization = pick(['Basic YTpi', 'Bearer', 'Bearer ', 'Bearer  x y', `Bearer ${keys.acme}x`, 'Token abc'])
  if (auth === 4) headers['x-api-key'] = pick([keys.ops, '', 'x', keys.acme.toUpperCase()])
  if (chance(0.15)) headers['x-request-timeout-ms'] = pick(['0', '-1', 'abc', '1', '99999999', '1.5', '20'])
  if (chance(0.1)) headers['cache-control'] = pick(['no-cache', 'no-store', 'max-age=0'])
  if (chance(0.1)) headers['x-request-id'] = pick(['ok-id', 'x'.repeat(300), 'bad id', '../../'])
  let body: string | undefined
  if (method !== 'GET' && method !== 'HEAD' && chance(0.9)) {
    const type = pick(['application/json', 'application/json', 'application/x-www-form-urlencoded', 'application/x-www-form-urlencoded', 'text/plain', 'application/json; charset=latin1', 'multipart/form-data; boundary=x', 'application/xml', ''])
    if (type) headers['content-type'] = type
    body = type.includes('form-urlencoded') ? formBody() : jsonBody()
  }
  return { method, target: path, headers, body }
}

const total = 3000
const requests = Array.from({ length: total }, generate)

t.test(`${total} generated hostile requests: no 5xx, every error in the envelope, nothing leaked`, async (t) => {
  const problems: string[] = []
  const statuses = new Map<number, number>()
  let sent = 0
  const started = Date.now()
  const budgetMs = 150_000
  const worker = async (): Promise<void> => {
    for (;;) {
      const request = requests[sent++]
      if (!request || Date.now() - started > budgetMs) return
      const answer = await send(gw.url, request)
      statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1)
      const what = `${request.method} ${request.target.slice(0, 100)} ${JSON.stringify(request.headers).slice(0, 150)} ${(request.body ?? '').slice(0, 150)}`
      if (answer.status >= 500) problems.push(`${answer.status} for ${what}: ${answer.text.slice(0, 300)}`)
      if (answer.status >= 400 && request.method !== 'HEAD') {
        const problem = notAnEnvelope(answer.text)
        if (problem) problems.push(`${answer.status} outside the envelope (${problem}) for ${what}`)
      }
      if (/at [^\n]*\.[jt]s:\d+/.test(answer.text)) problems.push(`a stack trace for ${what}`)
      if (answer.text.includes(keys.acme) || answer.text.includes(keys.ops)) problems.push(`a key echoed for ${what}`)
    }
  }
  await Promise.all(Array.from({ length: 8 }, worker))
  t.same(problems.slice(0, 20), [], `${problems.length} problems`)
  t.ok(sent >= total, `all ${total} sent within the time bound (${Date.now() - started} ms)`)
  t.ok((statuses.get(200) ?? 0) > 50, `some were valid and answered: ${JSON.stringify(Object.fromEntries(statuses))}`)
})
