import { createHmac } from 'node:crypto'
import { Writable } from 'node:stream'
import t, { type Test } from 'tap'
import { createClient } from '@keyv/redis'
import { sharedRedisUrl } from '../redis.js'
import { pino } from 'pino'
import { emulator, gateway, waitFor } from '../helper.js'
import { sample } from '../operations/prometheus.js'

type Row = Record<string, unknown>

interface Answer {
  rows?: Row[]
  page: { nextCursor: string | null }
  queryId: string
  source: string
}

interface Call {
  status: number
  cache: string | null
  rows: Row[] | undefined
  answer: Answer
}

// Database 10 of the machine's Redis belongs to this file; each test starts it empty.
const redisUrl = sharedRedisUrl(10)
const redis = createClient({ url: redisUrl })
await redis.connect()
await redis.flushDb()
t.teardown(async () => { await redis.quit() })

const warnings: Array<Record<string, unknown>> = []
const logger = pino({ level: 'warn' }, new Writable({
  write (chunk: Buffer, _encoding, done) {
    warnings.push(JSON.parse(chunk.toString()) as Record<string, unknown>)
    done()
  }
}))
const warehouse = await emulator(t)
const gw = await gateway(t, warehouse, { REDIS_URL: redisUrl }, logger)
const started = Date.now()

async function execute (body: unknown): Promise<Call> {
  const res = await gw.post('/v1/actions/cached-customers/execute', body)
  const answer = await res.json() as Answer
  return { status: res.status, cache: res.headers.get('x-cache'), rows: answer.rows, answer }
}

const cacheFaults = async (): Promise<number> =>
  sample(await (await gw.get('/metrics')).text(), 'gateway_cache_faults_total', { operation: 'get' })

/** The one result's metadata key (`gw::r:<action>:<tenant>:{<digest>}`); each test empties the db first. */
async function metaKey (): Promise<string> {
  const keys = (await redis.keys('gw::r:cached-customers:*')).filter((key) => key.split(':').length === 6)
  if (keys.length !== 1) throw new Error(`expected one result in db 10, found ${keys.length}`)
  return keys[0] as string
}

// The gateway stores each entry as `<mac>.<header JSON>\n<rows>`: HMAC-SHA256 over `<key>\n<header>\n<rows>` (the
// key without Redis's `gw::` namespace), keyed by HMAC-SHA256(CURSOR_SECRET, 'cache-entries'); the rows are the
// rows' JSON texts joined by commas, `header.ends` where each ends. test/helper.ts sets the secret.
const signingKey = (secret: string): Buffer => createHmac('sha256', secret).update('cache-entries').digest()
const gatewayKey = signingKey('test-cursor-secret-0123456789')

interface Entry {
  header: Record<string, unknown>
  rows: string
}

function signed (key: string, entry: Entry, by: Buffer): string {
  const header = JSON.stringify(entry.header)
  const mac = createHmac('sha256', by).update(key.replace(/^gw::/, '')).update('\n').update(header).update('\n').update(entry.rows).digest('base64url')
  return `${mac}.${header}\n${entry.rows}`
}

/** Rows as the gateway stores them: texts joined by commas, and where each one ends. */
function rowsEntry (header: Record<string, unknown>, rows: unknown[]): Entry {
  const texts = rows.map((row) => JSON.stringify(row))
  let end = -1
  return { header: { ...header, ends: texts.map((text) => (end += text.length + 1)) }, rows: texts.join(',') }
}

async function stored (key: string): Promise<string> {
  const value = await redis.get(key)
  if (value === null) throw new Error(`nothing under ${key}`)
  return value
}

async function readEntry (key: string): Promise<Entry> {
  const value = (await stored(key)).slice(44)
  const split = value.indexOf('\n')
  return { header: JSON.parse(value.slice(0, split)) as Record<string, unknown>, rows: value.slice(split + 1) }
}

const rowsOf = (entry: Entry): Row[] => JSON.parse(`[${entry.rows}]`) as Row[]

/** Writes `entry` under `key` signed as the gateway signs: only its shape can be wrong (a bug, a leaked key). */
async function writeEntry (key: string, entry: Entry): Promise<void> {
  await redis.set(key, signed(key, entry, gatewayKey))
}

/** Changes an entry as another writer of Redis would, without the key: the MAC stays as it was. */
async function tamper (key: string, change: (entry: Entry) => Entry): Promise<void> {
  const before = await stored(key)
  const entry = change(await readEntry(key))
  await redis.set(key, `${before.slice(0, 44)}${JSON.stringify(entry.header)}\n${entry.rows}`)
}

async function rewriteMeta (key: string, change: (meta: Record<string, unknown>) => Record<string, unknown>): Promise<void> {
  const entry = await readEntry(key)
  await writeEntry(key, { ...entry, header: change(entry.header) })
}

/**
 * The corrupted entry is a fault: the answer comes whole from the warehouse (BYPASS), the fault metric rises,
 * and the entry is gone afterwards.
 */
async function servedFromWarehouse (t: Test, call: () => Promise<Call>, expected: Row[], key: string): Promise<void> {
  const before = await cacheFaults()
  const answer = await call()
  t.equal(answer.status, 200, 'no 5xx')
  t.equal(answer.cache, 'BYPASS')
  t.equal(answer.answer.source, 'warehouse')
  t.same(answer.rows, expected, 'the warehouse\'s rows, none of the entry\'s')
  t.equal(await cacheFaults() - before, 1, 'one cache fault counted')
  t.equal(await redis.exists(key), 0, 'the bad entry was deleted')
}

/** After a fault the result is cached again as usual: a miss, then a hit with the right rows. */
async function cachedAgain (t: Test, body: unknown, expected: Row[]): Promise<void> {
  const miss = await execute(body)
  t.match(miss, { status: 200, cache: 'MISS' })
  t.same(miss.rows, expected)
  const hit = await execute(body)
  t.match(hit, { status: 200, cache: 'HIT' })
  t.same(hit.rows, expected)
}

t.beforeEach(async () => { await redis.flushDb() })

const firstPage = { variables: { lastId: 'C000050' } }

/** A first page from the warehouse, stored; returns its rows and its metadata key. */
async function filled (body: unknown = firstPage): Promise<{ rows: Row[], key: string }> {
  const miss = await execute(body)
  if (miss.cache !== 'MISS' || !miss.rows) throw new Error(`expected a MISS, got ${String(miss.cache)}`)
  return { rows: miss.rows, key: await metaKey() }
}

t.test('head rows that are not objects are never answered', async (t) => {
  const { rows, key } = await filled()
  await writeEntry(key, rowsEntry({ ...(await readEntry(key)).header, rowCount: 3 }, [1, 'two', null]))
  await servedFromWarehouse(t, async () => await execute(firstPage), rows, key)
  await cachedAgain(t, firstPage, rows)
})

t.test('a negative row count is a fault, not a page of the head', async (t) => {
  const { rows, key } = await filled()
  await rewriteMeta(key, (meta) => ({ ...meta, rowCount: -5 }))
  await servedFromWarehouse(t, async () => await execute(firstPage), rows, key)
  await cachedAgain(t, firstPage, rows)
})

t.test('a first page longer than the row count is a fault', async (t) => {
  const { rows, key } = await filled()
  await rewriteMeta(key, (meta) => ({ ...meta, rowCount: 5 }))
  await servedFromWarehouse(t, async () => await execute(firstPage), rows, key)
  await cachedAgain(t, firstPage, rows)
})

t.test('a query id that cannot be a header is a fault, not a 500', async (t) => {
  const { rows, key } = await filled()
  await rewriteMeta(key, (meta) => ({ ...meta, queryId: `${String(meta.queryId)}\r\nx-injected: 1` }))
  await servedFromWarehouse(t, async () => await execute(firstPage), rows, key)
  await cachedAgain(t, firstPage, rows)
})

t.test('a well-shaped entry of another result, copied under this key, is a fault', async (t) => {
  const other = await filled({ variables: { lastId: 'C000050', excludeSegment: 'GOLD' } })
  const copy = await redis.get(other.key) as string
  await redis.del(other.key)
  const { rows, key } = await filled()
  t.not(key, other.key)
  // Byte for byte what the gateway wrote, only under another key: another tenant's or another variable's result.
  await redis.set(key, copy)
  await servedFromWarehouse(t, async () => await execute(firstPage), rows, key)
  await cachedAgain(t, firstPage, rows)
})

t.test('rows altered by another writer of Redis are a fault', async (t) => {
  const { rows, key } = await filled()
  await tamper(key, (entry) => rowsEntry(entry.header, rowsOf(entry).map((row, i) => i === 0 ? { ...row, LIFETIME_VALUE: 123456789 } : row)))
  await servedFromWarehouse(t, async () => await execute(firstPage), rows, key)
  await cachedAgain(t, firstPage, rows)
})

t.test('entries of earlier versions (unsigned) and of another secret are faults', async (t) => {
  const { rows, key } = await filled()
  const entry = await readEntry(key)
  // What the gateway wrote before entries were signed: keyv's JSON around the result.
  await redis.set(key, JSON.stringify({ value: { ...entry.header, head: rowsOf(entry) }, expires: null }))
  await servedFromWarehouse(t, async () => await execute(firstPage), rows, key)
  await cachedAgain(t, firstPage, rows)

  // A replica with another CURSOR_SECRET, or none (a random one per process).
  await redis.set(key, signed(key, await readEntry(key), signingKey('another-secret-0123456789')))
  await servedFromWarehouse(t, async () => await execute(firstPage), rows, key)
  await cachedAgain(t, firstPage, rows)
})

t.test('a signed result put back after its lifetime is a miss, never a hit', async (t) => {
  const { rows, key } = await filled()
  // A copy kept by another writer and restored without its TTL: its own expiry still says it is gone.
  await rewriteMeta(key, (meta) => ({ ...meta, keepUntil: Date.now() - 1 }))
  const replayed = await execute(firstPage)
  t.match(replayed, { status: 200, cache: 'MISS' })
  t.same(replayed.rows, rows)
  const hit = await execute(firstPage)
  t.match(hit, { status: 200, cache: 'HIT' })
  t.equal(hit.answer.queryId, replayed.answer.queryId, 'the miss stored a result of its own')
})

// 1,500 rows in entries of page.defaultSize (10): entry 0 inside the metadata, 1-149 beside it. The second page
// of 305 rows (rows 305-609) reads the last 5 rows of entry 30, entries 31-59 and the first 5 rows of entry 60.
const walk = { variables: { lastId: 'C001500' }, page: { size: 305 } }

/** A result of three entries, and the second page read once from the cache: its cursor, rows and keys. */
async function secondPage (): Promise<{ cursor: string, rows: Row[], key: string, entry: (n: number) => string }> {
  const first = await execute(walk)
  const cursor = first.answer.page.nextCursor
  if (first.cache !== 'MISS' || !cursor) throw new Error('expected a MISS with a cursor')
  // The first page answers before the rest is stored.
  await waitFor(async () => (await redis.keys('gw::r:cached-customers:*')).some((key) => key.split(':').length === 6))
  const key = await metaKey()
  const second = await execute({ page: { cursor } })
  if (second.cache !== 'HIT' || !second.rows) throw new Error(`expected the second page from the cache, got ${String(second.cache)}`)
  return { cursor, rows: second.rows, key, entry: (n) => `${key}:${first.answer.queryId}:${n}` }
}

/** After a fault in a later entry the result is gone: its cursor reads Snowflake, a new walk the cache. */
async function walkedAgain (t: Test, cursor: string, rows: Row[]): Promise<void> {
  const resumed = await execute({ page: { cursor } })
  t.match(resumed, { status: 200, cache: 'MISS' })
  t.equal(resumed.answer.source, 'warehouse')
  t.same(resumed.rows, rows)
  t.match(await execute(walk), { status: 200, cache: 'MISS' })
  await waitFor(async () => (await execute(walk)).cache === 'HIT')
  const hit = await execute(walk)
  t.match(hit, { status: 200, cache: 'HIT' })
  const next = await execute({ page: { cursor: hit.answer.page.nextCursor } })
  t.match(next, { status: 200, cache: 'HIT' })
  t.same(next.rows, rows)
}

t.test('a later entry whose rows are not objects is a fault', async (t) => {
  const { cursor, rows, key, entry } = await secondPage()
  await writeEntry(entry(31), rowsEntry({}, Array.from({ length: 10 }, () => 7)))
  await servedFromWarehouse(t, async () => await execute({ page: { cursor } }), rows, entry(31))
  t.equal(await redis.exists(key), 0, 'and so was the result\'s metadata')
  await walkedAgain(t, cursor, rows)
})

t.test('a later entry of the wrong length is a fault', async (t) => {
  const { cursor, rows, key, entry } = await secondPage()
  await writeEntry(entry(31), rowsEntry({}, [...rowsOf(await readEntry(entry(31))), { CUSTOMER_ID: 'C999999', SEGMENT: 'GOLD', LIFETIME_VALUE: 1 }]))
  await servedFromWarehouse(t, async () => await execute({ page: { cursor } }), rows, entry(31))
  t.equal(await redis.exists(key), 0, 'and so was the result\'s metadata')
  await walkedAgain(t, cursor, rows)
})

t.test('another entry of the same result, copied in place of the second, is a fault', async (t) => {
  const { cursor, rows, key, entry } = await secondPage()
  // Entry 32 as the gateway wrote it, byte for byte: well shaped, 10 rows, only not entry 31.
  await redis.set(entry(31), await stored(entry(32)))
  await servedFromWarehouse(t, async () => await execute({ page: { cursor } }), rows, entry(31))
  t.equal(await redis.exists(key), 0, 'and so was the result\'s metadata')
  await walkedAgain(t, cursor, rows)
})

t.test('faults are warned about at most once per interval, without the rows', async (t) => {
  const rejected = warnings.filter((line) => line.msg === 'result cache entry rejected: serving from the warehouse')
  const intervals = 1 + Math.floor((Date.now() - started) / 30_000)
  t.ok(rejected.length >= 1 && rejected.length <= intervals, `${rejected.length} warning(s) for the many faults of this file`)
  t.match(rejected[0], { operation: 'get', err: { message: /^r:cached-customers:public:{[\w-]+}: the result's first page is malformed$/ } }, 'it names the first one')
  t.notMatch(JSON.stringify(rejected), /C0000\d\d/, 'no row of a result in the log')
})

t.test('in process memory, signed entries serve a walk across entries and lapse with their TTL', async (t) => {
  const local = await gateway(t, warehouse)
  const call = async (body: unknown, id = 'cached-customers'): Promise<Call> => {
    const res = await local.post(`/v1/actions/${id}/execute`, body)
    const answer = await res.json() as Answer
    return { status: res.status, cache: res.headers.get('x-cache'), rows: answer.rows, answer }
  }
  const first = await call(walk)
  t.match(first, { status: 200, cache: 'MISS' })
  // The first page answers before the rest is stored.
  await waitFor(async () => (await call(walk)).cache === 'HIT')
  const next = await call({ page: { cursor: first.answer.page.nextCursor } })
  t.match(next, { status: 200, cache: 'HIT' })
  t.equal(next.rows?.[0]?.CUSTOMER_ID, 'C000306')
  t.equal(next.rows?.at(-1)?.CUSTOMER_ID, 'C000610', 'across entries 30 to 60')

  t.match(await call({}, 'short-lived'), { cache: 'MISS' })
  t.match(await call({}, 'short-lived'), { cache: 'HIT' })
  await new Promise((resolve) => setTimeout(resolve, 1100))
  t.match(await call({}, 'short-lived'), { cache: 'MISS' })
})
