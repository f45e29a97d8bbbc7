import t from 'tap'
import { createClient } from '@keyv/redis'
import { sharedRedisUrl } from '../redis.js'
import { emulator, gateway, tenantsFile, waitFor, type Gateway } from '../helper.js'

// Asynchronous execute: 202 and a job at once, the statement under the action's async.timeoutMs, the result
// fetched later exactly as a synchronous execute answers it, from any replica sharing the Redis.

const keys = { acme: 'acme-key-0123456789', beta: 'beta-key-0123456789' }
const apiKeysFile = tenantsFile(t, [{ name: 'acme', key: keys.acme }, { name: 'beta', key: keys.beta }])
const bearer = (key: string): Record<string, string> => ({ authorization: `Bearer ${key}` })

// Database 14 of the machine's Redis belongs to this file.
const redisUrl = sharedRedisUrl(14)
const redis = createClient({ url: redisUrl })
await redis.connect()
await redis.flushDb()
t.teardown(async () => { await redis.quit() })

const warehouse = await emulator(t)
t.afterEach(() => { warehouse.controls.clearFaults() })
const env = { API_KEYS_FILE: apiKeysFile, REDIS_URL: redisUrl }
const gw = await gateway(t, warehouse, env)

interface Accepted { status: string, jobId: string, statusUrl: string }
interface JobAnswer {
  status: string
  job: { id: string, state: string, action: string, error?: { error: string, message: string } }
  rows?: Array<{ CUSTOMER_ID: string }>
  page?: { hasMore: boolean, nextCursor: string | null, complete: boolean, returned: number }
  queryId?: string
}

async function finished (via: Gateway, statusUrl: string, key = keys.acme): Promise<JobAnswer> {
  let answer: JobAnswer | undefined
  await waitFor(async () => {
    answer = await (await via.get(statusUrl, bearer(key))).json() as JobAnswer
    return answer.job.state === 'succeeded' || answer.job.state === 'failed'
  }, 10_000)
  return answer as JobAnswer
}

t.test('Prefer: respond-async answers 202 with a job whose first page is the synchronous answer', async (t) => {
  const variables = { lastId: 'C000100' }
  const res = await gw.post('/v1/actions/async-customers/execute', { variables }, { ...bearer(keys.acme), prefer: 'respond-async' })
  t.equal(res.status, 202)
  const accepted = await res.json() as Accepted
  t.match(accepted, { status: 'accepted', jobId: /^[0-9a-f-]{36}$/, statusUrl: `/v1/jobs/${accepted.jobId}` })
  t.equal(res.headers.get('location'), accepted.statusUrl)
  t.equal(res.headers.get('preference-applied'), 'respond-async')

  const job = await finished(gw, accepted.statusUrl)
  t.equal(job.job.state, 'succeeded')
  const sync = await (await gw.post('/v1/actions/async-customers/execute', { variables }, bearer(keys.acme))).json() as JobAnswer
  t.same(job.rows, sync.rows, 'the same rows')
  t.same({ ...job.page, nextCursor: null }, { ...sync.page, nextCursor: null }, 'the same page')
  t.equal(job.queryId, sync.queryId, 'the synchronous call was answered from the job\'s cached result')
  const next = await gw.post('/v1/actions/async-customers/execute', { page: { cursor: job.page?.nextCursor } }, bearer(keys.acme))
  t.equal(next.status, 200, 'the job\'s cursor continues the result')
  t.equal((await next.json() as JobAnswer).rows?.[0]?.CUSTOMER_ID, 'C000011')
})

t.test('a job\'s fill holds its lock for the job\'s timeout, so no replica starts the statement again meanwhile', async (t) => {
  warehouse.controls.injectFault({ match: /CUSTOMER_ID <= \?/, latencyMs: 1500 })
  const res = await gw.post('/v1/actions/async-customers/execute', { variables: { lastId: 'C000042' }, mode: 'async' }, bearer(keys.acme))
  t.equal(res.status, 202)
  let ttl = -2
  await waitFor(async () => {
    const [lock] = await redis.keys('gw::lock:*')
    if (lock === undefined) return false
    ttl = await redis.pTTL(lock)
    return true
  }, 1000)
  // The synchronous deadline is 800 ms; the job may take 10 s, and its fill the same.
  t.ok(ttl > 800, `the lock lasts beyond the synchronous deadline (${ttl} ms left)`)
  t.equal((await finished(gw, (await res.json() as Accepted).statusUrl)).job.state, 'succeeded')
})

t.test('mode "async" in the body does the same, in JSON and in a form', async (t) => {
  const json = await gw.post('/v1/actions/async-customers/execute', { variables: { lastId: 'C000030' }, mode: 'async' }, bearer(keys.acme))
  t.equal(json.status, 202)
  t.equal((await finished(gw, (await json.json() as Accepted).statusUrl)).job.state, 'succeeded')
  const form = await gw.post('/v1/actions/async-customers/execute', 'mode=async&lastId=C000031', { ...bearer(keys.acme), 'content-type': 'application/x-www-form-urlencoded' })
  t.equal(form.status, 202)
  const job = await finished(gw, (await form.json() as Accepted).statusUrl)
  t.equal(job.rows?.length, 10)
})

t.test('a job\'s statement runs under async.timeoutMs, not the synchronous deadline', async (t) => {
  warehouse.controls.injectFault({ match: /CUSTOMER_ID <= \?/, latencyMs: 1500 })
  const sync = await gw.post('/v1/actions/async-customers/execute', { variables: { lastId: 'C000040' } }, bearer(keys.acme))
  t.equal(sync.status, 504, 'the synchronous call keeps its 800 ms')
  const res = await gw.post('/v1/actions/async-customers/execute', { variables: { lastId: 'C000041' }, mode: 'async' }, bearer(keys.acme))
  const job = await finished(gw, (await res.json() as Accepted).statusUrl)
  t.equal(job.job.state, 'succeeded', 'the job had its 10 s')
})

t.test('a failed job says why, as the synchronous call would', async (t) => {
  const res = await gw.post('/v1/actions/missing-table/execute', { mode: 'async' }, bearer(keys.acme))
  const job = await finished(gw, (await res.json() as Accepted).statusUrl)
  t.match(job.job, { state: 'failed', error: { error: 'STATEMENT_FAILED', message: /NO_SUCH_TABLE/ } })
  t.equal(job.rows, undefined)
})

t.test('jobs are the tenant\'s own; bad requests are refused at once', async (t) => {
  const res = await gw.post('/v1/actions/async-customers/execute', { variables: { lastId: 'C000050' }, mode: 'async' }, bearer(keys.acme))
  const { statusUrl } = await res.json() as Accepted
  await finished(gw, statusUrl)
  const other = await gw.get(statusUrl, bearer(keys.beta))
  t.equal(other.status, 404)
  t.match(await other.json(), { status: 'error', error: 'JOB_NOT_FOUND' })
  t.equal((await gw.get(statusUrl)).status, 401)
  t.equal((await gw.get('/v1/jobs/not-a-job-id', bearer(keys.acme))).status, 400)

  const invalid = await gw.post('/v1/actions/async-customers/execute', { variables: {}, mode: 'async' }, bearer(keys.acme))
  t.equal(invalid.status, 400, 'variables are checked before a job is made')
  t.match(await invalid.json(), { error: 'VARIABLES_INVALID' })
  const callback = await gw.post('/v1/actions/async-customers/execute', { variables: { lastId: 'C000050' }, mode: 'async', callback: { contactId: '123' } }, bearer(keys.acme))
  t.equal(callback.status, 400)
  t.match(await callback.json(), { error: 'CALLBACK_UNAVAILABLE' })
})

t.test('a finished job outlives its gateway: another one on the same Redis answers for it', async (t) => {
  const first = await gateway(t, warehouse, env)
  const res = await first.post('/v1/actions/async-customers/execute', { variables: { lastId: 'C000060' }, mode: 'async' }, bearer(keys.acme))
  const { statusUrl } = await res.json() as Accepted
  const done = await finished(first, statusUrl)
  await first.service.close()
  const second = await gateway(t, warehouse, env)
  const again = await (await second.get(statusUrl, bearer(keys.acme))).json() as JobAnswer
  t.equal(again.job.state, 'succeeded')
  t.same(again.rows, done.rows)
  t.ok(await redis.keys('gw::job:*').then((k) => k.length > 0), 'kept in Redis')
})
