import { createHash } from 'node:crypto'
import t from 'tap'
import { emulator, gateway, waitFor } from '../helper.js'
import { freePort, redisCli, startRedis, startSentinel, stopRedis } from '../redis.js'

// A master, its replica and a Sentinel watching them, all of this file's own.
const dir = t.testdir({})
const [masterPort, replicaPort, sentinelPort] = [await freePort(), await freePort(), await freePort()]
// In the test's folder: a replica writes the master's snapshot to its working directory.
const master = await startRedis(masterPort, ['--dir', dir])
const replica = await startRedis(replicaPort, ['--replicaof', '127.0.0.1', String(masterPort), '--dir', dir])
const sentinel = await startSentinel(sentinelPort, masterPort, dir)
t.teardown(async () => { await Promise.all([master, replica, sentinel].map(stopRedis)) })
const masterAddress = async (): Promise<string> => (await redisCli(sentinelPort, 'sentinel', 'get-master-addr-by-name', 'mymaster')).split('\n').join(':')
// A failover needs a replica the Sentinel knows of and in sync with the master.
await waitFor(async () => (await redisCli(sentinelPort, 'sentinel', 'replicas', 'mymaster')).includes(String(replicaPort)) &&
  (await redisCli(replicaPort, 'info', 'replication')).includes('master_link_status:up'), 20_000, 100)

const sha256 = (key: string): string => createHash('sha256').update(key).digest('hex')
const key = 'acme-tenant-key-0123456789'
const tenants = t.testdir({
  'tenants.yaml': `
tenants:
  - name: acme
    admin: true
    rateLimit: { max: 1000, windowSeconds: 60 }
    keys: [{ id: acme, sha256: ${sha256(key)} }]
`
})
const warehouse = await emulator(t)
const gw = await gateway(t, warehouse, { API_KEYS_FILE: `${tenants}/tenants.yaml`, REDIS_URL: `redis+sentinel://127.0.0.1:${sentinelPort}/mymaster/3` })

const execute = async (lastId: string): Promise<{ status: number, cache: string | null, remaining: number }> => {
  const res = await gw.post('/v1/actions/cached-customers/execute', { variables: { lastId } }, { authorization: `Bearer ${key}` })
  await res.arrayBuffer()
  return { status: res.status, cache: res.headers.get('x-cache'), remaining: Number(res.headers.get('x-ratelimit-remaining')) }
}
/** The keys a server holds in database 3, the URL's. */
const keysOn = async (port: number, pattern: string): Promise<string[]> =>
  (await redisCli(port, '-n', '3', '--scan', '--pattern', pattern)).split('\n').filter(Boolean)

t.test('through the master the Sentinel names, the gateway caches and counts', async (t) => {
  t.equal(await masterAddress(), `127.0.0.1:${masterPort}`)
  t.match(await execute('C000050'), { status: 200, cache: 'MISS', remaining: 999 })
  await waitFor(async () => (await execute('C000050')).cache === 'HIT')
  t.ok((await keysOn(masterPort, 'gw::r:cached-customers:acme:*')).length > 0, 'the result is in the master, database 3')
  t.ok((await keysOn(masterPort, 'gw-rate-*acme*')).length > 0, 'and so is the count')
  const dropped = await gw.service.app.inject({ method: 'DELETE', url: '/v1/actions/cached-customers/cache', headers: { authorization: `Bearer ${key}` } })
  t.ok(dropped.json<{ deleted: number }>().deleted >= 1, 'invalidation deletes there')
  t.same(await keysOn(masterPort, 'gw::r:cached-customers:*'), [])
})

t.test('when the master dies, requests keep being answered, and then the new master serves', async (t) => {
  const killed = stopRedis(master)
  const during: Array<{ status: number }> = []
  // Until the Sentinel has promoted the replica: every request answered, from the warehouse meanwhile.
  await waitFor(async () => {
    during.push(await execute('C000060'))
    return await masterAddress() === `127.0.0.1:${replicaPort}`
  }, 30_000, 100)
  await killed
  t.ok(during.length > 1, `${during.length} requests during the failover`)
  t.ok(during.every((answer) => answer.status === 200), 'each answered 200 (the cache failed open)')
  // The client learns of the switch by itself and writes to the promoted replica.
  await waitFor(async () => (await execute('C000070')).cache === 'HIT', 20_000, 100)
  t.ok((await keysOn(replicaPort, 'gw::r:cached-customers:acme:*')).length > 0, 'results written to the new master')
  t.match(await redisCli(replicaPort, 'info', 'replication'), /role:master/)
  const counted = await execute('C000070')
  const again = await execute('C000070')
  t.equal(again.remaining, counted.remaining - 1, 'and counts go on there')
})
