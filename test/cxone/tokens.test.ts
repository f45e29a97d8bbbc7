import t from 'tap'
import { refreshAge, usableAge } from '../../src/cxone/tokens.js'
import { capturedLogger, client, configFor, inSeconds } from './helper.js'
import { localCxone } from './local-cxone.js'

const sleep = async (ms: number): Promise<void> => { await new Promise((resolve) => setTimeout(resolve, ms)) }

t.test('100 concurrent signals that all need a token make one token request', async (t) => {
  const cxone = await localCxone(t)
  const cx = client(t, configFor(cxone))
  const results = await Promise.all(Array.from({ length: 100 }, async (_, i) => await cx.signal(String(1000 + i), [`job-${i}`], { deadline: inSeconds(10) })))
  t.equal(cxone.counts.token, 1, 'one token request')
  t.equal(cx.tokenRequests, 1)
  t.equal(cxone.delivered.length, 100, 'every signal delivered')
  t.ok(results.every((r) => r.attempts === 1 && r.status === 202))
  t.same(new Set(cxone.delivered.map((s) => s.contactId)).size, 100)
})

t.test('the password grant sends the client as Basic and the access key as username and password', async (t) => {
  const cxone = await localCxone(t)
  await client(t, configFor(cxone)).signal('1', [], { deadline: inSeconds(5) })
  t.match(cxone.tokenCalls, [{ grant: 'password', status: 200 }])
})

t.test('the client_credentials grant', async (t) => {
  const cxone = await localCxone(t, { grant: 'client_credentials' })
  const result = await client(t, configFor(cxone)).signal('1', [], { deadline: inSeconds(5) })
  t.match(cxone.tokenCalls, [{ grant: 'client_credentials', status: 200 }])
  t.same(result, { attempts: 1, status: 202 })
})

t.test('a token that expires for real between batches is fetched once more, not per caller', async (t) => {
  const cxone = await localCxone(t, { expiresIn: 1 })
  const cx = client(t, configFor(cxone))
  const batch = async (from: number): Promise<void> => {
    await Promise.all(Array.from({ length: 50 }, async (_, i) => await cx.signal(String(from + i), [], { deadline: inSeconds(10) })))
  }
  await batch(0)
  await sleep(1100)
  await batch(100)
  t.equal(cxone.counts.token, 2, 'one refresh')
  t.equal(cxone.delivered.length, 100)
  t.equal(cxone.signals.length, 100, 'no signal was sent with the expired token')
})

t.test('a token CXone stops accepting mid-batch: every caller gets 401, one refresh, each retried once', async (t) => {
  const cxone = await localCxone(t)
  const cx = client(t, configFor(cxone))
  await cx.signal('1', [], { deadline: inSeconds(5) })
  cxone.expireTokens()
  const results = await Promise.all(Array.from({ length: 50 }, async (_, i) => await cx.signal(String(100 + i), [], { deadline: inSeconds(10) })))
  t.equal(cxone.counts.token, 2, 'one refresh for 50 refusals')
  t.equal(cxone.delivered.length, 51)
  t.ok(results.every((r) => r.attempts === 2 && r.status === 202), 'each signal: one 401, then delivered')
  t.equal(cxone.signals.filter((s) => s.status === 401).length, 50)
})

t.test('a token is refreshed ahead of expiry in the background, while callers keep using it', async (t) => {
  const cxone = await localCxone(t, { expiresIn: 2 })
  const cx = client(t, configFor(cxone))
  await cx.signal('1', [], { deadline: inSeconds(5) })
  // Past the refresh point (half of a 2 s life), before the end of use (1.8 s).
  await sleep(1100)
  const started = Date.now()
  cxone.tokenDelayMs = 300
  await cx.signal('2', [], { deadline: inSeconds(5) })
  t.ok(Date.now() - started < 250, 'the signal did not wait for the refresh')
  t.equal(cxone.counts.token, 2, 'the refresh started')
  await sleep(400)
  await cx.signal('3', [], { deadline: inSeconds(5) })
  t.equal(cxone.counts.token, 2, 'the new token is used, no further request')
  t.equal(cxone.delivered.length, 3)
})

t.test('a 429 from the token endpoint is waited out as Retry-After says, inside the deadline', async (t) => {
  const cxone = await localCxone(t)
  cxone.failTokens(1, 429, '1')
  const result = await client(t, configFor(cxone)).signal('1', [], { deadline: inSeconds(5) })
  t.same(result, { attempts: 1, status: 202 })
  t.equal(cxone.tokenCalls.length, 2)
  const [first, second] = cxone.tokenCalls
  t.ok(second!.at - first!.at >= 1000, `the second token request came ${second!.at - first!.at} ms later`)
})

t.test('a Retry-After on the token endpoint that would pass the deadline gives up at once', async (t) => {
  const cxone = await localCxone(t)
  cxone.failTokens(1, 503, '30')
  const started = Date.now()
  const error = await client(t, configFor(cxone)).signal('1', [], { deadline: inSeconds(2) }).catch((e: unknown) => e)
  t.ok(Date.now() - started < 500, 'did not wait for the deadline')
  t.match(error, { code: 'CXONE_UNAVAILABLE', attempts: 0, status: 503, message: /token request: token endpoint answered HTTP 503; waiting the 30 s/ })
  t.equal(cxone.counts.token, 1)
  t.equal(cxone.counts.signal, 0)
})

t.test('a wrong client secret is a clear failure, not retried', async (t) => {
  const cxone = await localCxone(t)
  const error = await client(t, configFor(cxone, 'overrides', { clientSecret: 'not-the-secret' })).signal('1', [], { deadline: inSeconds(5) }).catch((e: unknown) => e)
  t.match(error, { code: 'CXONE_AUTH_REJECTED', attempts: 0, status: 401, message: 'CXone refused the gateway\'s credentials: HTTP 401 (invalid_client)' })
  t.equal(cxone.counts.token, 1)
  t.equal(cxone.counts.signal, 0)
})

t.test('a wrong access key secret is a clear failure too', async (t) => {
  const cxone = await localCxone(t)
  const error = await client(t, configFor(cxone, 'overrides', { accessKeySecret: 'wrong' })).signal('1', [], { deadline: inSeconds(5) }).catch((e: unknown) => e)
  t.match(error, { code: 'CXONE_AUTH_REJECTED', status: 400, message: /invalid_grant/ })
})

t.test('callers waiting for one token request each keep their own deadline', async (t) => {
  const cxone = await localCxone(t)
  cxone.tokenDelayMs = 800
  const cx = client(t, configFor(cxone))
  const started = Date.now()
  const [short, long] = await Promise.all([
    cx.signal('1', [], { deadline: Date.now() + 200 }).catch((e: unknown) => e),
    cx.signal('2', [], { deadline: inSeconds(5) })
  ])
  t.match(short, { code: 'CXONE_DEADLINE', attempts: 0 })
  t.same(long, { attempts: 1, status: 202 })
  t.ok(Date.now() - started >= 800)
  t.equal(cxone.counts.token, 1, 'the short caller leaving did not stop the shared request')
})

t.test('a token response without expires_in: the token is kept briefly, not assumed to last an hour', async (t) => {
  const cxone = await localCxone(t)
  cxone.omitExpiresIn = true
  const { logger, lines } = capturedLogger()
  const cx = client(t, configFor(cxone), { logger })
  await cx.signal('1', [], { deadline: inSeconds(5) })
  await cx.signal('2', [], { deadline: inSeconds(5) })
  t.equal(cxone.counts.token, 1, 'kept for the next call')
  t.match(lines.join('\n'), /"lifetimeSeconds":60,"msg":"cxone token response has no usable expires_in/)
})

t.test('a deadline beyond what a timer holds still waits for the token', async (t) => {
  const cxone = await localCxone(t)
  cxone.tokenDelayMs = 100
  const result = await client(t, configFor(cxone)).signal('1', [], { deadline: Date.now() + 40 * 24 * 3600_000 })
  t.same(result, { attempts: 1, status: 202 })
})

t.test('refresh points: 80 % of the life or 60 s before its end, whichever is sooner, never before half', async (t) => {
  t.equal(refreshAge(3600), 2880_000)
  t.equal(refreshAge(240), 180_000, '60 s before the end of a 4-minute token')
  t.equal(refreshAge(100), 50_000)
  t.equal(refreshAge(2), 1000)
  t.equal(usableAge(3600), 3595_000)
  t.equal(usableAge(2), 1800)
})
