import { Writable } from 'node:stream'
import { pino } from 'pino'
import { getInstance as driverLogger } from 'snowflake-sdk/dist/lib/logger.js'
import t from 'tap'
import { loggerOptions } from '../../src/app.js'
import { emulator, gateway, waitFor } from '../helper.js'

// An action with two sensitive variables, the shorter listed first: the order a one-by-one scrub gets wrong.
const actionsDir = t.testdir({
  'verify-pin.yaml': `
id: verify-pin
version: "1"
description: Checks a PIN for an account; both are secrets, and neither comes back in the rows.
sql: SELECT CAST(:pin AS NUMBER) > 0 AS PIN_OK, LENGTH(:account) AS ACCOUNT_LENGTH
input:
  type: object
  required: [account, pin]
  properties:
    account: { type: string }
    pin: { type: string }
sensitive: [account, pin]
output: { type: object }
`,
  'customers-by-secret.yaml': `
id: customers-by-secret
version: "1"
description: Many cached rows for a secret, so the rest of the fill outlives the first page's answer.
sql: |
  SELECT CUSTOMER_ID FROM ANALYTICS_DB.PUBLIC.CUSTOMER_SEGMENTS
  WHERE CUSTOMER_ID <= 'C005000' AND LENGTH(:secret) > 0 ORDER BY CUSTOMER_ID
input:
  type: object
  required: [secret]
  properties:
    secret: { type: string }
sensitive: [secret]
output: { type: object }
cache: { ttlSeconds: 60 }
maxRows: 10000
page: { defaultSize: 10, maxSize: 100 }
`
})

const overlapping = { account: 'TOPSECRET', pin: 'TOPSECRET-1234-PIN' }
const multiLine = 'first line 4711\nsecond line 0815'
const quoted = 'O\'Brien "the (a+b)*" $1 [x] \\d{2} ^|.?'

/** Every form a secret could take in a message or a JSON log line: itself, each of its lines, JSON-escaped, SQL-quoted. */
function tracesOf (secret: string): string[] {
  return [secret, ...secret.split('\n')].flatMap((piece) => [piece, JSON.stringify(piece).slice(1, -1), piece.replaceAll("'", "''")])
}

function leaked (text: string, secrets: string[]): string[] {
  return [...new Set(secrets.flatMap(tracesOf))].filter((trace) => text.includes(trace))
}

/** Every string in a JSON value, keys included, so a value is found however the line escaped it. */
function stringsOf (value: unknown): string[] {
  if (typeof value === 'string') return [value]
  if (value === null || typeof value !== 'object') return []
  return Object.entries(value).flatMap(([key, inner]) => [key, ...stringsOf(inner)])
}

const logLines: string[] = []
const logger = pino(loggerOptions('info'), new Writable({
  write (chunk: Buffer, _encoding, done) {
    logLines.push(chunk.toString())
    done()
  }
}))

/** The log lines written from now on, raw and decoded, for one look through all of them. */
function logsFromNow (): () => string {
  const mark = logLines.length
  return () => logLines.slice(mark).flatMap((line) => [line, ...stringsOf(JSON.parse(line))]).join('\n')
}

const warehouse = await emulator(t)
const gw = await gateway(t, warehouse, { ACTIONS_DIR: actionsDir }, logger)

async function call (route: 'execute' | 'stream', variables: Record<string, string>): Promise<{ res: Response, text: string }> {
  const res = await gw.post(`/v1/actions/verify-pin/${route}`, { variables })
  return { res, text: await res.text() }
}

t.test('a data error on a sensitive value is a 422 VARIABLE_REJECTED naming no form of it', async (t) => {
  const cases = [
    { name: 'overlapping values', variables: overlapping },
    { name: 'a multi-line value', variables: { account: 'A-1', pin: multiLine } },
    { name: 'quotes and regex characters', variables: { account: 'A-1', pin: quoted } }
  ]
  for (const { name, variables } of cases) {
    for (const route of ['execute', 'stream'] as const) {
      const logs = logsFromNow()
      const { res, text } = await call(route, variables)
      t.equal(res.status, 422, `${name} (${route})`)
      t.match(JSON.parse(text), {
        status: 'error',
        error: 'VARIABLE_REJECTED',
        message: 'Snowflake could not use a variable\'s value: Numeric value \'[redacted]\' is not recognized',
        details: { code: '100038', sqlState: /^22/ }
      }, `${name} (${route}): the value, and nothing around it, is redacted`)
      const secrets = Object.values(variables)
      t.same(leaked(text, secrets), [], `${name} (${route}): the answer`)
      t.same(leaked(logs(), secrets), [], `${name} (${route}): the log`)
    }
  }
})

t.test('a statement failure that echoes sensitive values is a 502 naming none of them, in the answer or the log', async (t) => {
  const [firstLine] = multiLine.split('\n')
  // As Snowflake and drivers render a value: as it is, JSON-escaped, with quotes doubled, or cut at a line end.
  const message = `SQL compilation error:\nObject '${multiLine}' or "${JSON.stringify(multiLine).slice(1, -1)}" or '${quoted.replaceAll("'", "''")}' ` +
    `or ${JSON.stringify(quoted)} or '${quoted}' or '${firstLine ?? ''}`
  warehouse.controls.injectFault({ match: /PIN_OK/, times: 1, error: { code: '002003', sqlState: '42S02', message } })
  const logs = logsFromNow()
  const { res, text } = await call('execute', { account: quoted, pin: multiLine })
  t.equal(res.status, 502)
  t.match(JSON.parse(text), { error: 'STATEMENT_FAILED', message: /^Snowflake rejected the statement: SQL compilation error:\nObject '\[redacted\]' or / })
  t.same(leaked(text, [quoted, multiLine]), [], 'the answer')
  const log = logs()
  t.match(log, 'Snowflake rejected the statement', 'the failure is logged')
  t.same(leaked(log, [quoted, multiLine]), [], 'the log')
})

t.test('the warning for a retried transient fault names no sensitive value', async (t) => {
  warehouse.controls.injectFault({
    match: /PIN_OK/,
    times: 1,
    error: { code: '000606', sqlState: '57P03', message: `Warehouse for '${multiLine}' / ${JSON.stringify(multiLine)} is suspended` }
  })
  const logs = logsFromNow()
  const { res } = await call('execute', { account: multiLine, pin: '4321' })
  t.equal(res.status, 200, 'the retry succeeded')
  const retried = logLines.find((line) => line.includes('retrying a transient Snowflake fault') && line.includes(res.headers.get('x-request-id') ?? '-'))
  t.match(JSON.parse(retried ?? '{}'), { action: 'verify-pin', err: { code: '000606', message: /\[redacted\]/, stack: /\[redacted\]/ } }, 'the warning was written, scrubbed')
  t.same(leaked(logs(), [multiLine]), [], 'the log')
})

t.test('the driver\'s own log lines name no sensitive value of a request in flight', async (t) => {
  warehouse.controls.injectFault({ match: /PIN_OK/, times: 1, latencyMs: 1000 })
  const logs = logsFromNow()
  const running = call('execute', { account: multiLine, pin: '4321' })
  await waitFor(() => warehouse.controls.stats().runningQueries > 0)
  // A line the driver writes through its logger with an error in it, as it does when stage binding fails.
  driverLogger().warn('Stage binding failed, falling back to inline binds: %s', new Error(`bind '${multiLine}' rejected`))
  t.equal((await running).res.status, 200)
  const driverLine = logLines.find((line) => line.includes('Stage binding failed'))
  t.match(JSON.parse(driverLine ?? '{}'), { component: 'snowflake-sdk', msg: /bind '\[redacted\]' rejected/ }, 'the driver\'s line reached the log, scrubbed')
  t.same(leaked(logs(), [multiLine]), [], 'the log')

  driverLogger().warn('after the request: %s', multiLine)
  t.ok(logLines.some((line) => line.includes('after the request') && line.includes(JSON.stringify(multiLine).slice(1, -1))),
    'the values are held only while their request runs')
})

t.test('a caller that hangs up releases its values too', async (t) => {
  warehouse.controls.injectFault({ match: /PIN_OK/, times: 1, latencyMs: 3000 })
  const hangUp = new AbortController()
  const secret = 'hung-up-secret-0042'
  const running = fetch(`${gw.url}/v1/actions/verify-pin/execute`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ variables: { account: secret, pin: '1' } }),
    signal: hangUp.signal
  }).catch(() => 'hung up')
  await waitFor(() => warehouse.controls.stats().runningQueries > 0)
  driverLogger().warn('while running: %s', secret)
  hangUp.abort()
  t.equal(await running, 'hung up')
  await waitFor(() => warehouse.controls.stats().runningQueries === 0)
  driverLogger().warn('after hanging up: %s', secret)
  t.ok(logLines.some((line) => line.includes('while running: [redacted]')), 'held while the request ran')
  t.ok(logLines.some((line) => line.includes(`after hanging up: ${secret}`)), 'released when its response closed')
})

t.test('the rest of a cache fill, running after the answer, keeps its values hidden until it ends', async (t) => {
  const secret = 'fill-secret-0077'
  // The first 1,000 rows come with the statement's answer; the rest wait in a stalled chunk.
  warehouse.controls.stallChunks({ times: 1, ms: 1500 })
  const res = await gw.post('/v1/actions/customers-by-secret/execute', { variables: { secret } })
  t.equal(res.status, 200)
  t.equal(res.headers.get('x-cache'), 'MISS')
  await res.text()
  driverLogger().warn('while the rest fills: %s', secret)
  t.ok(logLines.some((line) => line.includes('while the rest fills: [redacted]')), 'held after the response closed')
  await waitFor(() => {
    driverLogger().warn('after the fill: %s', secret)
    return logLines.some((line) => line.includes(`after the fill: ${secret}`))
  }, 10_000, 100)
  const hit = await gw.post('/v1/actions/customers-by-secret/execute', { variables: { secret } })
  t.equal(hit.headers.get('x-cache'), 'HIT', 'released once the result was stored')
})

t.test('each configured redact path hides its value in the service\'s log', async (t) => {
  // Through the root logger the service was built with: Fastify's own `req` serializer would drop headers first.
  const cases: Array<{ path: string, logged: Record<string, unknown>, at: string[] }> = [
    { path: 'req.headers.authorization', logged: { req: { headers: { authorization: 'Bearer secret-1' } } }, at: ['req', 'headers', 'authorization'] },
    { path: 'req.headers["x-api-key"]', logged: { req: { headers: { 'x-api-key': 'secret-2' } } }, at: ['req', 'headers', 'x-api-key'] },
    { path: 'req.headers.cookie', logged: { req: { headers: { cookie: 'session=secret-3' } } }, at: ['req', 'headers', 'cookie'] },
    { path: '*.password', logged: { snowflake: { password: 'secret-4' } }, at: ['snowflake', 'password'] },
    { path: '*.privateKeyPass', logged: { snowflake: { privateKeyPass: 'secret-5' } }, at: ['snowflake', 'privateKeyPass'] },
    { path: '*.privateKey', logged: { snowflake: { privateKey: '-----BEGIN PRIVATE KEY-----secret-6' } }, at: ['snowflake', 'privateKey'] },
    { path: '*.token', logged: { cxone: { token: 'secret-7' } }, at: ['cxone', 'token'] },
    { path: '*.apiKey', logged: { caller: { apiKey: 'secret-8' } }, at: ['caller', 'apiKey'] }
  ]
  for (const { path, logged, at } of cases) {
    const mark = logLines.length
    logger.warn(logged, `redact check ${path}`)
    const lines = logLines.slice(mark)
    t.equal(lines.length, 1, path)
    const value = at.reduce<unknown>((inner, key) => (inner as Record<string, unknown> | undefined)?.[key], JSON.parse(lines[0] ?? '{}'))
    t.equal(value, '[redacted]', `${path}: censored`)
    t.notMatch(lines[0], /secret-\d/, `${path}: the value is nowhere in the line`)
  }
})
