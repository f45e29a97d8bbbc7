import { createHash } from 'node:crypto'
import t from 'tap'
import { createClient } from '@keyv/redis'
import { emulator, gateway, waitFor } from '../helper.js'
import { redisCli, startCluster, stopRedis } from '../redis.js'

// A Cluster of three masters of this file's own; the gateways know two of them and find the third.
const cluster = await startCluster(3, t.testdir())
t.teardown(async () => { await Promise.all(cluster.servers.map(stopRedis)) })
const [first, second] = cluster.ports as [number, number, number]
const masters = cluster.ports.map((port) => createClient({ url: `redis://127.0.0.1:${port}` }))
await Promise.all(masters.map(async (master) => await master.connect()))
t.teardown(async () => { await Promise.all(masters.map(async (master) => await master.quit())) })
/** Each master's keys that match `pattern`: a master sees its own slots only. */
const keysByMaster = async (pattern: string): Promise<string[][]> => await Promise.all(masters.map(async (master) => await master.keys(pattern)))

const sha256 = (key: string): string => createHash('sha256').update(key).digest('hex')
const keys = { ops: 'ops-tenant-key-0123456789', small: 'small-tenant-key-0123456789' }
const dir = t.testdir({
  'tenants.yaml': `
tenants:
  - name: ops
    admin: true
    keys: [{ id: ops, sha256: ${sha256(keys.ops)} }]
  - name: small
    rateLimit: { max: 3, windowSeconds: 60 }
    keys: [{ id: small, sha256: ${sha256(keys.small)} }]
`
})
const env = { API_KEYS_FILE: `${dir}/tenants.yaml`, REDIS_URL: `redis+cluster://127.0.0.1:${first},127.0.0.1:${second}` }
const warehouse = await emulator(t)
const gw = await gateway(t, warehouse, env)
const ops = { authorization: `Bearer ${keys.ops}` }

interface Answer { rows: Array<Record<string, unknown>>, queryId: string, page: { nextCursor: string | null } }
const execute = async (body: unknown): Promise<{ cache: string | null, answer: Answer }> => {
  const res = await gw.post('/v1/actions/cached-customers/execute', body, ops)
  if (res.status !== 200) throw new Error(`${res.status}: ${await res.text()}`)
  return { cache: res.headers.get('x-cache'), answer: await res.json() as Answer }
}
/** Metadata keys, `gw::r:<action>:<tenant>:{<digest>}`, on whichever master holds them. */
const resultKeys = async (): Promise<string[]> =>
  (await keysByMaster('gw::r:cached-customers:ops:*')).flat().filter((key) => key.split(':').length === 6)

t.test('a cursor walk across many entries of one cached result, each page one MGET in the result\'s slot', async (t) => {
  const variables = { lastId: 'C003000' }
  const streamed = await gw.post('/v1/actions/cached-customers/stream', { variables }, ops)
  const full = (await streamed.text()).trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>)
  t.equal(full.length, 3000)
  let { cache, answer } = await execute({ variables, page: { size: 300 } })
  t.equal(cache, 'MISS')
  await waitFor(async () => (await resultKeys()).length === 1, 15_000)
  const walked = [...answer.rows]
  const caches: Array<string | null> = []
  while (answer.page.nextCursor) {
    ({ cache, answer } = await execute({ page: { cursor: answer.page.nextCursor } }))
    caches.push(cache)
    walked.push(...answer.rows)
  }
  t.same(walked, full)
  t.ok(caches.every((c) => c === 'HIT'), 'every later page from the cache: ' + caches.join(' '))
  // Entries of 10 rows (page.defaultSize): 300 keys beside the metadata, all on the master of its slot.
  const byMaster = await keysByMaster(`gw::r:cached-customers:ops:*:${answer.queryId}:*`)
  t.same(byMaster.map((k) => k.length).sort((a, b) => a - b), [0, 0, 299], 'every entry on one master')
  const [metadata] = await resultKeys()
  const slots = new Set(await Promise.all([metadata as string, ...byMaster.flat()].map(async (key) => await redisCli(first, 'cluster', 'keyslot', key))))
  t.equal(slots.size, 1, 'and in one slot: the digest is the hash tag')
})

t.test('invalidating an action deletes its results on every master', async (t) => {
  // Results land where their digests hash: enough of them lie on more than one master.
  for (let n = 1; (await keysByMaster('gw::r:cached-customers:ops:*')).filter((k) => k.length > 0).length < 2; n++) {
    t.equal((await execute({ variables: { lastId: `C000${String(100 + n)}` } })).cache, 'MISS')
    await waitFor(async () => (await resultKeys()).length === n + 1, 15_000)
  }
  const stored = (await keysByMaster('gw::r:cached-customers:*')).flat().length
  const dropped = await gw.service.app.inject({ method: 'DELETE', url: '/v1/actions/cached-customers/cache', headers: ops })
  t.equal(dropped.statusCode, 200)
  t.equal(dropped.json<{ deleted: number }>().deleted, stored, 'every key counted')
  t.same(await keysByMaster('gw::r:cached-customers:*'), [[], [], []], 'none left on any master')
  t.equal((await execute({ variables: { lastId: 'C003000' } })).cache, 'MISS')
})

t.test('rate limits count in the Cluster, shared by two gateways', async (t) => {
  const replica = await gateway(t, warehouse, env)
  const statuses: number[] = []
  for (let i = 0; i < 4; i++) {
    const res = await (i % 2 === 0 ? gw : replica).post('/v1/actions/lookup-by-text/execute', { variables: { customerId: 'C000001' } }, { authorization: `Bearer ${keys.small}` })
    await res.arrayBuffer()
    statuses.push(res.status)
  }
  t.same(statuses, [200, 200, 200, 429])
  const counts = (await keysByMaster('gw-rate-*small*')).filter((k) => k.length > 0)
  t.same(counts.map((k) => k.length), [1], 'one count, on its key\'s master')
})
