import t from 'tap'
import { isCxoneFailure } from '../../src/cxone/errors.js'
import { client, configFor, inSeconds } from './helper.js'
import { localCxone } from './local-cxone.js'

t.test('p1…p9 in the query string, to the configured API version', async (t) => {
  const cxone = await localCxone(t)
  const params = ['done', 'a b', 'ü&=?#/', '', '5', '6', '7', '8', '{"n":9}']
  const result = await client(t, configFor(cxone)).signal('4815162342', params, { deadline: inSeconds(5) })
  t.same(result, { attempts: 1, status: 202 })
  const [call] = cxone.signals
  t.equal(call?.version, 'v30.0')
  t.equal(call?.contactId, '4815162342')
  t.same(call?.query, Object.fromEntries(params.map((p, i) => [`p${i + 1}`, p])))
  t.equal(call?.body, undefined)
})

t.test('p1…p9 in a JSON body when configured, and another version', async (t) => {
  const cxone = await localCxone(t)
  await client(t, configFor(cxone, 'overrides', { signalParams: 'body', apiVersion: 'v18.0' })).signal('7', ['x', 'y'], { deadline: inSeconds(5) })
  t.match(cxone.signals, [{ version: 'v18.0', contactId: '7', query: {}, body: { p1: 'x', p2: 'y' } }])
})

t.test('an API URL with a path keeps it', async (t) => {
  const cxone = await localCxone(t)
  const error = await client(t, configFor(cxone, 'overrides', { apiUrl: `${cxone.url}/prefix` })).signal('7', [], { deadline: inSeconds(5) }).catch((e: unknown) => e)
  // The local CXone serves no /prefix: the request went there, and a 404 is not retried.
  t.match(error, { code: 'CXONE_SIGNAL_REJECTED', status: 404, attempts: 1 })
})

t.test('a contact id that is not digits never reaches a URL', async (t) => {
  const cxone = await localCxone(t)
  const cx = client(t, configFor(cxone))
  for (const contactId of ['', '12/../34', '1e5', '-1', '12 ', '１２', '123?p1=x', '123456789012345678901', 'abc']) {
    const error = await cx.signal(contactId, [], { deadline: inSeconds(5) }).catch((e: unknown) => e)
    t.match(error, { code: 'CXONE_CONTACT_INVALID', attempts: 0 }, JSON.stringify(contactId))
  }
  t.equal(cxone.counts.token + cxone.counts.signal, 0, 'nothing was sent')
})

t.test('more than 9 parameters, or one not a string, are refused', async (t) => {
  const cxone = await localCxone(t)
  const cx = client(t, configFor(cxone))
  t.match(await cx.signal('1', Array.from({ length: 10 }, String), { deadline: inSeconds(5) }).catch((e: unknown) => e), { code: 'CXONE_PARAMS_INVALID' })
  t.match(await cx.signal('1', [1 as unknown as string], { deadline: inSeconds(5) }).catch((e: unknown) => e), { code: 'CXONE_PARAMS_INVALID' })
  t.equal(cxone.counts.signal, 0)
})

t.test('a signal that gets 503 twice is delivered once', async (t) => {
  const cxone = await localCxone(t)
  cxone.failSignals(2, 503)
  const result = await client(t, configFor(cxone)).signal('99', ['result'], { deadline: inSeconds(5) })
  t.same(result, { attempts: 3, status: 202 })
  t.equal(cxone.signals.length, 3)
  t.equal(cxone.delivered.length, 1, 'exactly one recorded success')
  t.same(cxone.signals.map((s) => s.status), [503, 503, 202])
})

t.test('500, 502 and 504 are retried too; attempts stop at the policy limit', async (t) => {
  const cxone = await localCxone(t)
  cxone.failSignals(10, 502)
  const error = await client(t, configFor(cxone), { retry: { maxAttempts: 3 } }).signal('1', [], { deadline: inSeconds(5) }).catch((e: unknown) => e)
  t.match(error, { code: 'CXONE_UNAVAILABLE', attempts: 3, status: 502, message: /signal answered HTTP 502 \(attempt 3\)/ })
  t.equal(cxone.signals.length, 3)
})

t.test('a 4xx other than 401, 408 and 429 is a clear failure, not retried', async (t) => {
  const cxone = await localCxone(t)
  cxone.failSignals(1, 404)
  const error = await client(t, configFor(cxone)).signal('1', [], { deadline: inSeconds(5) }).catch((e: unknown) => e)
  t.ok(isCxoneFailure(error))
  t.match(error, { code: 'CXONE_SIGNAL_REJECTED', attempts: 1, status: 404, message: 'CXone refused the signal: HTTP 404' })
  t.equal(cxone.signals.length, 1)
})

t.test('a 401 on the signal: one refresh, one retry, delivered', async (t) => {
  const cxone = await localCxone(t)
  cxone.rejectSignals(1)
  const result = await client(t, configFor(cxone)).signal('5', [], { deadline: inSeconds(5) })
  t.same(result, { attempts: 2, status: 202 })
  t.equal(cxone.counts.token, 2)
  t.same(cxone.signals.map((s) => s.status), [401, 202])
})

t.test('a second 401 after a fresh token is a clear failure', async (t) => {
  const cxone = await localCxone(t)
  cxone.rejectSignals(5)
  const error = await client(t, configFor(cxone)).signal('5', [], { deadline: inSeconds(5) }).catch((e: unknown) => e)
  t.match(error, { code: 'CXONE_UNAUTHORIZED', attempts: 2, status: 401 })
  t.equal(cxone.counts.token, 2, 'one refresh only')
  t.equal(cxone.signals.length, 2, 'no third attempt')
})

t.test('a 429 with Retry-After is waited out: nothing is sent before it elapses', async (t) => {
  const cxone = await localCxone(t)
  cxone.failSignals(2, 429, '1')
  const result = await client(t, configFor(cxone)).signal('5', [], { deadline: inSeconds(10) })
  t.same(result, { attempts: 3, status: 202 })
  const gaps = cxone.signals.slice(1).map((s, i) => s.at - cxone.signals[i]!.at)
  t.equal(gaps.length, 2)
  t.ok(gaps.every((gap) => gap >= 1000), `gaps ${gaps.join(', ')} ms`)
  t.ok(gaps.every((gap) => gap < 1500), 'and not much more (a tenth of jitter at most)')
})

t.test('a Retry-After as an HTTP date is honoured', async (t) => {
  const cxone = await localCxone(t)
  // HTTP dates have whole seconds: two seconds ahead is at least one second away.
  cxone.failSignals(1, 503, new Date(Date.now() + 2000).toUTCString())
  const result = await client(t, configFor(cxone)).signal('5', [], { deadline: inSeconds(10) })
  t.same(result, { attempts: 2, status: 202 })
  const [first, second] = cxone.signals
  t.ok(second!.at - first!.at >= 1000, `${second!.at - first!.at} ms`)
})

t.test('a Retry-After that would pass the deadline gives up at once', async (t) => {
  const cxone = await localCxone(t)
  cxone.failSignals(1, 429, '5')
  const started = Date.now()
  const error = await client(t, configFor(cxone)).signal('5', [], { deadline: inSeconds(3) }).catch((e: unknown) => e)
  t.ok(Date.now() - started < 500, `gave up after ${Date.now() - started} ms`)
  t.match(error, { code: 'CXONE_UNAVAILABLE', attempts: 1, status: 429, message: /waiting the 5 s it asked for \(Retry-After\) would pass the deadline/ })
  t.equal(cxone.signals.length, 1)
})

t.test('a CXone that does not answer in time: each request is cut at the timeout, the call at its deadline', async (t) => {
  const cxone = await localCxone(t)
  cxone.signalDelayMs = 5000
  const started = Date.now()
  const error = await client(t, configFor(cxone, 'overrides', { timeoutMs: 300 })).signal('5', [], { deadline: Date.now() + 1000 }).catch((e: unknown) => e)
  const took = Date.now() - started
  t.ok(took >= 900 && took < 1500, `failed after ${took} ms`)
  t.match(error, { code: 'CXONE_DEADLINE', status: undefined })
  t.ok((error as { attempts: number }).attempts >= 2, 'timed-out requests were retried')
})

t.test('a CXone that refuses connections is retried, then reported unavailable', async (t) => {
  const cxone = await localCxone(t)
  const cx = client(t, configFor(cxone, 'overrides', { apiUrl: 'http://127.0.0.1:1' }), { retry: { maxAttempts: 3 } })
  const error = await cx.signal('5', [], { deadline: inSeconds(5) }).catch((e: unknown) => e)
  t.match(error, { code: 'CXONE_UNAVAILABLE', attempts: 3, status: undefined, message: /no answer from CXone \(ECONNREFUSED\)/ })
})

t.test('the caller aborting stops the wait and says so', async (t) => {
  const cxone = await localCxone(t)
  cxone.failSignals(1, 503, '3')
  const controller = new AbortController()
  setTimeout(() => { controller.abort(new Error('shutting down')) }, 200)
  const started = Date.now()
  const error = await client(t, configFor(cxone)).signal('5', [], { deadline: inSeconds(10), signal: controller.signal }).catch((e: unknown) => e)
  t.ok(Date.now() - started < 1000)
  t.match(error, { code: 'CXONE_CANCELLED', attempts: 1, status: 503, message: 'The CXone call was cancelled: shutting down' })
  t.equal(cxone.signals.length, 1)
})

t.test('close stops calls in flight, and later calls fail at once', async (t) => {
  const cxone = await localCxone(t)
  cxone.signalDelayMs = 2000
  const cx = client(t, configFor(cxone))
  const pending = cx.signal('5', [], { deadline: inSeconds(10) }).catch((e: unknown) => e)
  await new Promise((resolve) => setTimeout(resolve, 200))
  await cx.close()
  t.match(await pending, { code: 'CXONE_CANCELLED', message: /closed/ })
  t.match(await cx.signal('6', [], { deadline: inSeconds(10) }).catch((e: unknown) => e), { code: 'CXONE_CANCELLED', attempts: 0 })
})

t.test('a past deadline sends nothing', async (t) => {
  const cxone = await localCxone(t)
  const error = await client(t, configFor(cxone)).signal('5', [], { deadline: Date.now() - 1 }).catch((e: unknown) => e)
  t.match(error, { code: 'CXONE_DEADLINE', attempts: 0 })
  t.equal(cxone.counts.signal, 0)
})
