import t from 'tap'
import { client, configFor, inSeconds } from './helper.js'
import { localCxone } from './local-cxone.js'

t.test('without URLs configured, both endpoints are discovered from the issuer, once', async (t) => {
  const cxone = await localCxone(t)
  const cx = client(t, configFor(cxone, 'discovery'))
  await Promise.all(Array.from({ length: 20 }, async (_, i) => await cx.signal(String(i + 1), ['x'], { deadline: inSeconds(5) })))
  await cx.signal('99', [], { deadline: inSeconds(5) })
  t.same(cxone.counts, { openid: 1, cxoneConfiguration: 1, token: 1, signal: 21 })
  t.equal(cxone.delivered.length, 21)
})

t.test('configured URLs are used as they are: no discovery', async (t) => {
  const cxone = await localCxone(t)
  await client(t, configFor(cxone, 'overrides', { issuer: 'http://127.0.0.1:1' })).signal('1', [], { deadline: inSeconds(5) })
  t.equal(cxone.counts.openid + cxone.counts.cxoneConfiguration, 0)
  t.equal(cxone.delivered.length, 1)
})

t.test('a discovery failure is not kept: the next attempt reads the document again', async (t) => {
  const cxone = await localCxone(t)
  cxone.failDiscovery(1, 503)
  const result = await client(t, configFor(cxone, 'discovery')).signal('1', [], { deadline: inSeconds(5) })
  t.same(result, { attempts: 1, status: 202 })
  t.equal(cxone.counts.cxoneConfiguration + cxone.counts.openid, 3, 'one failed read, then both documents')
})

t.test('an API host that stops answering is discovered again', async (t) => {
  const cxone = await localCxone(t)
  cxone.apiEndpoints.push('http://127.0.0.1:1')
  const result = await client(t, configFor(cxone, 'discovery')).signal('1', [], { deadline: inSeconds(5) })
  t.same(result, { attempts: 2, status: 202 }, 'the first attempt went to the dead host')
  t.equal(cxone.counts.cxoneConfiguration, 2)
  t.equal(cxone.counts.openid, 1, 'the token endpoint still answered: kept')
})

t.test('an unknown tenant is a clear failure', async (t) => {
  const cxone = await localCxone(t)
  const error = await client(t, configFor(cxone, 'discovery', { tenantId: 'no-such-tenant' })).signal('1', [], { deadline: inSeconds(5) }).catch((e: unknown) => e)
  t.match(error, { code: 'CXONE_DISCOVERY_INVALID', status: 404, attempts: 0, message: 'CXone discovery (cxone-configuration) gave no usable answer (HTTP 404)' })
  t.equal(cxone.counts.cxoneConfiguration, 1, 'not retried')
})
