import t from 'tap'
import { emulator, gateway, waitFor } from '../helper.js'
import { flushDb, sharedRedisUrl } from '../redis.js'
import { sample } from './prometheus.js'

await flushDb(7)
const warehouse = await emulator(t)
// Costs read after each execution (COST_BATCH_SIZE 1), so the test need not wait for a batch's interval.
const gw = await gateway(t, warehouse, { REDIS_URL: sharedRedisUrl(7), COST_BATCH_SIZE: '1' })

const scrape = async (): Promise<string> => {
  const res = await gw.get('/metrics')
  if (res.status !== 200 || !/^text\/plain; version=0\.0\.4/.test(res.headers.get('content-type') ?? '')) {
    throw new Error(`/metrics answered ${res.status} ${String(res.headers.get('content-type'))}`)
  }
  return await res.text()
}

t.test('executions, request durations and statement costs count exactly what was asked', async (t) => {
  for (const lastId of ['C000011', 'C000012', 'C000013']) {
    const res = await gw.post('/v1/actions/customers-paged/execute', { variables: { lastId } })
    t.equal(res.status, 200)
  }
  const invalid = await gw.post('/v1/actions/echo-types/execute', { variables: { count: 'many' } })
  t.equal(invalid.status, 400)

  const exposition = await gw.get('/metrics')
  t.equal(exposition.status, 200)
  t.match(exposition.headers.get('content-type'), /^text\/plain; version=0\.0\.4/)
  const text = await exposition.text()
  const execute = { route: '/v1/actions/:id/execute', method: 'POST' }
  t.equal(sample(text, 'gateway_executions_total', { action: 'customers-paged', outcome: 'ok' }), 3)
  t.equal(sample(text, 'gateway_executions_total', { action: 'echo-types', outcome: 'VARIABLES_INVALID' }), 1)
  t.equal(sample(text, 'gateway_http_request_duration_seconds_count', { ...execute, action: 'customers-paged', status: '200' }), 3)
  t.equal(sample(text, 'gateway_http_request_duration_seconds_count', { ...execute, action: 'echo-types', status: '400' }), 1)
  t.ok(sample(text, 'gateway_http_request_duration_seconds_sum', { ...execute, action: 'customers-paged', status: '200' }) > 0)
  t.equal(sample(text, 'gateway_http_request_duration_seconds_bucket', { ...execute, action: 'customers-paged', status: '200', le: '+Inf' }), 3)

  // Costs are read from the query history after the answer is sent.
  let later = ''
  await waitFor(async () => {
    later = await scrape()
    return sample(later, 'gateway_snowflake_statement_duration_seconds_count', { action: 'customers-paged' }) === 3
  })
  t.equal(sample(later, 'gateway_snowflake_statement_duration_seconds_count', { action: 'customers-paged', status: 'SUCCESS' }), 3)
  t.equal(sample(later, 'gateway_snowflake_rows_produced_total', { action: 'customers-paged' }), 11 + 12 + 13, 'rows produced, from the history')
  t.ok(sample(later, 'gateway_snowflake_bytes_scanned_total', { action: 'customers-paged' }) > 0, 'bytes scanned, from the history')
  t.match(later, /^gateway_snowflake_bytes_scanned_total\{action="customers-paged"\} \d+$/m)
})

t.test('cache hits, misses and bypasses', async (t) => {
  const before = await scrape()
  const body = { variables: { lastId: 'C000020' } }
  const first = await gw.post('/v1/actions/cached-customers/execute', body)
  const second = await gw.post('/v1/actions/cached-customers/execute', body)
  t.equal(first.headers.get('x-cache'), 'MISS')
  t.equal(second.headers.get('x-cache'), 'HIT')
  await gw.post('/v1/actions/customers-paged/execute', { variables: { lastId: 'C000021' } })
  const after = await scrape()
  const delta = (labels: Record<string, string>, name = 'gateway_cache_lookups_total'): number => sample(after, name, labels) - sample(before, name, labels)
  t.equal(delta({ result: 'miss' }), 1)
  t.equal(delta({ result: 'hit' }), 1)
  t.equal(delta({ result: 'bypass' }), 1, 'an action without a cache is a bypass')
  t.equal(delta({ action: 'cached-customers', outcome: 'cache_hit' }, 'gateway_executions_total'), 1)
  t.equal(delta({ action: 'cached-customers', outcome: 'ok' }, 'gateway_executions_total'), 1)
  t.equal(sample(after, 'gateway_cache_faults_total'), 0, 'Redis answered every call')
})

t.test('pool gauges, retries and output-validation failures', async (t) => {
  warehouse.controls.injectFault({ match: /CUSTOMER_ID <= \?/, times: 2, error: { code: '000606', sqlState: '57P03', message: 'Warehouse TEST_WH is suspended.' } })
  const retried = await gw.post('/v1/actions/customers-paged/execute', { variables: { lastId: 'C000030' } })
  t.equal(retried.status, 200)
  const broken = await gw.post('/v1/actions/broken-output/execute', {})
  t.equal(broken.status, 502)
  const text = await scrape()
  t.equal(sample(text, 'gateway_snowflake_retries_total', { reason: '000606' }), 2)
  t.equal(sample(text, 'gateway_output_invalid_total', { action: 'broken-output' }), 1)
  t.equal(sample(text, 'gateway_executions_total', { action: 'broken-output', outcome: 'OUTPUT_INVALID' }), 1)
  const pool = { pool: '/TEST_WH' }
  const size = sample(text, 'gateway_snowflake_pool_size', pool)
  t.ok(size >= 1 && size <= 4, `pool size ${size} within SNOWFLAKE_POOL_MAX`)
  t.equal(sample(text, 'gateway_snowflake_pool_idle', pool) + sample(text, 'gateway_snowflake_pool_borrowed', pool), size)
  t.equal(sample(text, 'gateway_snowflake_pool_waiting', pool), 0)
  t.match(text, /^process_cpu_user_seconds_total \d/m, 'default process metrics')
  t.match(text, /^nodejs_heap_size_used_bytes \d/m)
})

t.test('429 answers are counted by route', async (t) => {
  const limited = await gateway(t, warehouse, { RATE_LIMIT_MAX: '1' })
  const answers = []
  for (let i = 0; i < 3; i++) answers.push((await limited.post('/v1/actions/customers-paged/execute', { variables: { lastId: 'C000040' } })).status)
  t.same(answers, [200, 429, 429])
  const text = await (await limited.get('/metrics')).text()
  t.equal(sample(text, 'gateway_rate_limited_total', { route: '/v1/actions/:id/execute' }), 2)
})

t.test('METRICS_TOKEN: a bearer token is required when it is set', async (t) => {
  const guarded = await gateway(t, warehouse, { METRICS_TOKEN: 'scrape-token-0123456789' })
  const none = await guarded.get('/metrics')
  t.equal(none.status, 401)
  t.match(await none.json(), { status: 'error', error: 'UNAUTHENTICATED', requestId: String })
  t.equal(none.headers.get('www-authenticate'), 'Bearer realm="metrics"')
  t.equal((await guarded.get('/metrics', { authorization: 'Bearer wrong-token-0123456789' })).status, 401)
  const ok = await guarded.get('/metrics', { authorization: 'Bearer scrape-token-0123456789' })
  t.equal(ok.status, 200)
  t.match(await ok.text(), /gateway_http_request_duration_seconds/)
  t.equal((await gw.get('/metrics')).status, 200, 'open when no token is set')
})
