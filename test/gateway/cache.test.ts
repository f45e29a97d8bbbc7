import t from 'tap'
import { createClient } from '@keyv/redis'
import { sharedRedisUrl } from '../redis.js'
import type { HistoryEntry } from 'snowflake-emulator'
import { emulator, gateway, waitFor, type Gateway } from '../helper.js'

interface Answer {
  status: string
  error?: string
  message?: string
  rows: Array<Record<string, unknown>>
  page: { size: number, offset: number, returned: number, hasMore: boolean, nextCursor: string | null }
  queryId: string
  source: string
}

// Database 1 of the machine's Redis belongs to this file; it starts empty.
const redisUrl = sharedRedisUrl(1)
const redis = createClient({ url: redisUrl })
await redis.connect()
await redis.flushDb()
t.teardown(async () => { await redis.quit() })

const warehouse = await emulator(t)
const gw = await gateway(t, warehouse, { REDIS_URL: redisUrl })

async function execute (via: Gateway, id: string, body: unknown, headers: Record<string, string> = {}): Promise<{ res: Response, answer: Answer }> {
  const res = await via.post(`/v1/actions/${id}/execute`, body, headers)
  return { res, answer: await res.json() as Answer }
}

const statements = (tag: string, since = 0): HistoryEntry[] =>
  warehouse.controls.queryLog().slice(since).filter((q) => q.queryTag === tag)

t.test('a miss runs the statement and stores the result; the repeat is a hit from the cache', async (t) => {
  const before = warehouse.controls.queryLog().length
  const first = await execute(gw, 'cached-customers', { variables: { lastId: 'C000050' } })
  t.equal(first.res.status, 200)
  t.equal(first.res.headers.get('x-cache'), 'MISS')
  t.equal(first.answer.source, 'warehouse')
  const second = await execute(gw, 'cached-customers', { variables: { lastId: 'C000050' } })
  t.equal(second.res.headers.get('x-cache'), 'HIT')
  t.equal(second.answer.source, 'cache')
  t.equal(second.answer.queryId, first.answer.queryId)
  t.same(second.answer.rows, first.answer.rows)
  // Each answer signs its own cursor with its own expiry; the page itself is the same.
  t.same({ ...second.answer.page, nextCursor: typeof second.answer.page.nextCursor }, { ...first.answer.page, nextCursor: 'string' })
  t.match(second.res.headers.get('server-timing'), /cache;dur=/)
  t.equal(statements('cached-customers:1', before).length, 1)
  t.ok((await redis.keys('gw::r:cached-customers:public:*')).length > 0, 'the entry lives in Redis')
})

t.test('keys are canonical: coerced values in any order, and unused variables, share one entry', async (t) => {
  const first = await execute(gw, 'cached-customers', { variables: { lastId: 'C000060', excludeSegment: 'GOLD' } })
  t.equal(first.res.headers.get('x-cache'), 'MISS')
  const reordered = await execute(gw, 'cached-customers', { variables: { excludeSegment: 'GOLD', lastId: 'C000060', minValue: '5' } })
  t.equal(reordered.res.headers.get('x-cache'), 'HIT')
  const form = await execute(gw, 'cached-customers', 'excludeSegment=GOLD&lastId=C000060', { 'content-type': 'application/x-www-form-urlencoded' })
  t.equal(form.res.headers.get('x-cache'), 'HIT')
  const other = await execute(gw, 'cached-customers', { variables: { lastId: 'C000061', excludeSegment: 'GOLD' } })
  t.equal(other.res.headers.get('x-cache'), 'MISS', 'a different value is a different result')
  t.equal((await execute(gw, 'cached-customers', { variables: { lastId: 'C000062' } })).res.headers.get('x-cache'), 'MISS')
  const defaulted = await execute(gw, 'cached-customers', { variables: { lastId: 'C000062', excludeSegment: 'NONE' } })
  t.equal(defaulted.res.headers.get('x-cache'), 'HIT', 'a variable left to its default and the default sent share one entry')
})

t.test('an edited action never reuses results of its old definition', async (t) => {
  const edited = t.testdir({
    'cached-customers.yaml': (await import('node:fs')).readFileSync('test/fixtures/actions/cached-customers.yaml', 'utf8')
      .replace('ORDER BY CUSTOMER_ID', 'ORDER BY CUSTOMER_ID DESC')
  })
  const other = await gateway(t, warehouse, { REDIS_URL: redisUrl, ACTIONS_DIR: edited })
  await execute(gw, 'cached-customers', { variables: { lastId: 'C000070' } })
  const after = await execute(other, 'cached-customers', { variables: { lastId: 'C000070' } })
  t.equal(after.res.headers.get('x-cache'), 'MISS')
  t.equal(after.answer.rows[0]?.CUSTOMER_ID, 'C000070')
})

t.test('entries expire with the action\'s TTL', async (t) => {
  t.equal((await execute(gw, 'short-lived', {})).res.headers.get('x-cache'), 'MISS')
  t.equal((await execute(gw, 'short-lived', {})).res.headers.get('x-cache'), 'HIT')
  await new Promise((resolve) => setTimeout(resolve, 1100))
  t.equal((await execute(gw, 'short-lived', {})).res.headers.get('x-cache'), 'MISS')
})

t.test('a stale entry is served while one refresh runs in the background; no-cache cannot force it', async (t) => {
  const before = warehouse.controls.queryLog().length
  t.equal((await execute(gw, 'stale-served', {})).res.headers.get('x-cache'), 'MISS')
  await new Promise((resolve) => setTimeout(resolve, 1100))
  const stale = await Promise.all([1, 2, 3].map(async () => await execute(gw, 'stale-served', {}, { 'cache-control': 'no-cache' })))
  t.same(stale.map((s) => s.res.headers.get('x-cache')), ['HIT', 'HIT', 'HIT'])
  await waitFor(() => statements('stale-served:1', before).filter((q) => q.status === 'SUCCESS').length === 2)
  await new Promise((resolve) => setTimeout(resolve, 100))
  t.equal(statements('stale-served:1', before).length, 2, 'one first run, one refresh')
  const refreshed = statements('stale-served:1', before)[1]
  const after = await execute(gw, 'stale-served', {})
  t.equal(after.res.headers.get('x-cache'), 'HIT')
  t.equal(after.answer.queryId, refreshed?.queryId, 'the refresh replaced the entry')
  t.equal(statements('stale-served:1', before).length, 2, 'a fresh entry starts no other refresh')
})

t.test('Cache-Control: no-cache runs afresh and replaces the entry', async (t) => {
  const first = await execute(gw, 'cached-customers', { variables: { lastId: 'C000080' } })
  const fresh = await execute(gw, 'cached-customers', { variables: { lastId: 'C000080' } }, { 'cache-control': 'no-cache' })
  t.equal(fresh.res.headers.get('x-cache'), 'MISS')
  t.not(fresh.answer.queryId, first.answer.queryId)
  const after = await execute(gw, 'cached-customers', { variables: { lastId: 'C000080' } })
  t.equal(after.answer.queryId, fresh.answer.queryId)
})

t.test('100 identical concurrent calls run one statement', async (t) => {
  warehouse.controls.injectFault({ match: /CUSTOMER_ID <= \?/, times: 1, latencyMs: 300 })
  const before = warehouse.controls.queryLog().length
  const answers = await Promise.all(Array.from({ length: 100 }, async () => await execute(gw, 'cached-customers', { variables: { lastId: 'C000090' } })))
  t.ok(answers.every((a) => a.res.status === 200 && a.answer.rows.length === 10))
  t.equal(new Set(answers.map((a) => a.answer.queryId)).size, 1)
  t.equal(statements('cached-customers:1', before).length, 1)
})

t.test('identical calls to two replicas on one Redis run one statement', async (t) => {
  const replica = await gateway(t, warehouse, { REDIS_URL: redisUrl })
  warehouse.controls.injectFault({ match: /CUSTOMER_ID <= \?/, times: 1, latencyMs: 300 })
  const before = warehouse.controls.queryLog().length
  const answers = await Promise.all(Array.from({ length: 20 }, async (_, i) =>
    await execute(i % 2 === 0 ? gw : replica, 'cached-customers', { variables: { lastId: 'C000095' } })))
  t.ok(answers.every((a) => a.res.status === 200))
  t.equal(statements('cached-customers:1', before).length, 1)
})

t.test('a result is never shared with another role, warehouse or database, even on one Redis', async (t) => {
  const variables = { lastId: 'C000097' }
  t.equal((await execute(gw, 'cached-customers', { variables })).res.headers.get('x-cache'), 'MISS')
  t.equal((await execute(gw, 'cached-customers', { variables })).res.headers.get('x-cache'), 'HIT')
  const changes: Array<Record<string, string>> = [{ SNOWFLAKE_ROLE: 'ANALYST' }, { SNOWFLAKE_WAREHOUSE: 'OTHER_WH' }, { SNOWFLAKE_DATABASE: 'OTHER_DB' }]
  for (const env of changes) {
    const other = await gateway(t, warehouse, { REDIS_URL: redisUrl, ...env })
    const before = warehouse.controls.queryLog().length
    const { res } = await execute(other, 'cached-customers', { variables })
    t.equal(res.headers.get('x-cache'), 'MISS', `${Object.keys(env).join()} changed: the other gateway's result is not reused`)
    t.equal(statements('cached-customers:1', before).length, 1)
  }
})

const resultKeys = async (actionId: string): Promise<string[]> =>
  (await redis.keys(`gw::r:${actionId}:public:*`)).filter((key) => key.split(':').length === 6)

t.test('a cursor walk over 10,000 cached rows matches one full read, without another statement', async (t) => {
  const variables = { lastId: 'C010000' }
  const streamed = await gw.post('/v1/actions/cached-customers/stream', { variables })
  const full = (await streamed.text()).trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>)
  t.equal(full.length, 10_000)
  const before = warehouse.controls.queryLog().length
  const stored = (await resultKeys('cached-customers')).length
  let { res, answer } = await execute(gw, 'cached-customers', { variables, page: { size: 300 } })
  // The first page answers before the rest is stored; the walk starts once it has been.
  await waitFor(async () => (await resultKeys('cached-customers')).length > stored, 15_000)
  const walked = [...answer.rows]
  const caches: Array<string | null> = []
  while (answer.page.nextCursor) {
    ({ res, answer } = await execute(gw, 'cached-customers', { page: { cursor: answer.page.nextCursor } }))
    caches.push(res.headers.get('x-cache'))
    walked.push(...answer.rows)
  }
  t.equal(walked.length, 10_000)
  t.same(walked, full)
  t.ok(caches.every((c) => c === 'HIT'), 'every later page from the cache: ' + caches.join(' '))
  t.equal(statements('cached-customers:1', before).length, 1)
  // 10,000 rows in entries of page.defaultSize (10): entry 0 inside the metadata, entries 1-999 beside it.
  const entries = await redis.keys(`gw::r:cached-customers:public:*:${answer.queryId}:*`)
  t.same(entries.map((key) => Number(key.split(':').at(-1))).sort((a, b) => a - b), Array.from({ length: 999 }, (_, n) => n + 1))
})

t.test('a miss answers the first page before the rest of the result is stored, which stays invisible until whole', async (t) => {
  const variables = { lastId: 'C012000' }
  const before = warehouse.controls.queryLog().length
  const stored = await resultKeys('cached-customers')
  // The first 1,000 rows come inline with the statement's answer; the rest wait in a stalled chunk.
  warehouse.controls.stallChunks({ times: 1, ms: 1500 })
  const first = await execute(gw, 'cached-customers', { variables })
  t.equal(first.res.status, 200)
  t.equal(first.res.headers.get('x-cache'), 'MISS')
  t.equal(first.answer.rows.length, 10)
  t.same(await resultKeys('cached-customers'), stored, 'no metadata yet: the result is not whole')
  // Callers arriving meanwhile join the fill and get the same first rows.
  const joined = await execute(gw, 'cached-customers', { variables })
  t.equal(joined.answer.queryId, first.answer.queryId)
  t.same(joined.answer.rows, first.answer.rows)
  // A cursor meanwhile reads Snowflake's persisted result by query id, not a partial entry.
  const next = await execute(gw, 'cached-customers', { page: { cursor: first.answer.page.nextCursor } })
  t.equal(next.res.headers.get('x-cache'), 'MISS')
  t.equal(next.answer.queryId, first.answer.queryId)
  t.equal(next.answer.rows[0]?.CUSTOMER_ID, 'C000011')
  await waitFor(async () => (await resultKeys('cached-customers')).length > stored.length, 15_000)
  const hit = await execute(gw, 'cached-customers', { variables })
  t.equal(hit.res.headers.get('x-cache'), 'HIT')
  t.equal(hit.answer.queryId, first.answer.queryId)
  t.equal(statements('cached-customers:1', before).length, 1, 'one statement for all of it')
})

t.test('with the cache entry gone, the next page comes from Snowflake by query id', async (t) => {
  const first = await execute(gw, 'cached-customers', { variables: { lastId: 'C000200' }, page: { size: 50 } })
  const dropped = await gw.service.app.inject({ method: 'DELETE', url: '/v1/actions/cached-customers/cache' })
  t.equal(dropped.statusCode, 200)
  t.ok(dropped.json<{ deleted: number }>().deleted >= 1)
  t.same(await redis.keys('gw::r:cached-customers:*'), [])
  const before = warehouse.controls.queryLog().length
  const next = await execute(gw, 'cached-customers', { page: { cursor: first.answer.page.nextCursor } })
  t.equal(next.res.status, 200)
  t.equal(next.res.headers.get('x-cache'), 'MISS')
  t.equal(next.answer.source, 'warehouse')
  t.equal(next.answer.queryId, first.answer.queryId)
  t.equal(next.answer.rows[0]?.CUSTOMER_ID, 'C000051')
  t.equal(statements('cached-customers:1', before).length, 0, 'the SQL did not run again')
})

t.test('nothing wrong is cached: rows that break the schema, errors, deadlines', async (t) => {
  const before = warehouse.controls.queryLog().length
  for (let i = 0; i < 2; i++) t.equal((await execute(gw, 'cached-broken', {})).res.status, 502)
  t.equal(statements('cached-broken:1', before).length, 2, 'the failed result was not kept')
  t.same(await redis.keys('gw::r:cached-broken:*'), [])

  // Row 2,500 breaks the schema: the first page, whose rows are sound, is answered; the result is never stored.
  const first = await execute(gw, 'cached-breaks-late', { page: { size: 500 } })
  t.equal(first.res.status, 200)
  let page = first.answer
  const walk: number[] = []
  while (page.page?.nextCursor) {
    const next = await execute(gw, 'cached-breaks-late', { page: { cursor: page.page.nextCursor } })
    walk.push(next.res.status)
    page = next.answer
  }
  t.same(walk, [200, 200, 200, 502], 'the page holding the broken row (index 2,499) is refused, never served')
  t.equal(page.error, 'OUTPUT_INVALID')
  // The failed fill's entries are deleted once written, and no metadata ever pointed at them.
  await waitFor(async () => (await redis.keys('gw::r:cached-breaks-late:*')).length === 0)
  t.same(await redis.keys('gw::r:cached-breaks-late:*'), [], 'a failed fill leaves nothing behind')
  t.equal((await execute(gw, 'cached-breaks-late', {})).res.headers.get('x-cache'), 'MISS', 'the partial result was not answered from the cache')
  t.equal(statements('cached-breaks-late:1', before).length, 2)

  warehouse.controls.injectFault({ match: /CUSTOMER_ID <= \?/, times: 1, latencyMs: 3000 })
  const late = await execute(gw, 'cached-customers', { variables: { lastId: 'C000300' } }, { 'x-request-timeout-ms': '300' })
  t.equal(late.res.status, 504)
  const retry = await execute(gw, 'cached-customers', { variables: { lastId: 'C000300' } })
  t.equal(retry.res.headers.get('x-cache'), 'MISS', 'a result cut by the deadline was not kept')
})

t.test('without REDIS_URL the cache lives in process memory', async (t) => {
  const local = await gateway(t, warehouse)
  t.equal((await execute(local, 'cached-customers', { variables: { lastId: 'C000042' } })).res.headers.get('x-cache'), 'MISS')
  t.equal((await execute(local, 'cached-customers', { variables: { lastId: 'C000042' } })).res.headers.get('x-cache'), 'HIT')
  const dropped = await local.service.app.inject({ method: 'DELETE', url: '/v1/actions/cached-customers/cache' })
  // 42 rows in pages of 10: the metadata with the first, and four entries beside it.
  t.equal(dropped.json<{ deleted: number }>().deleted, 5)
  t.equal((await execute(local, 'cached-customers', { variables: { lastId: 'C000042' } })).res.headers.get('x-cache'), 'MISS')
})
