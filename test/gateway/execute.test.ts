import { Writable } from 'node:stream'
import { pino } from 'pino'
import t from 'tap'
import { demoCustomer, demoCustomers } from '../demo-data.js'
import { emulator, gateway, waitFor } from '../helper.js'

interface Answer {
  status: string
  error?: string
  message?: string
  details?: unknown
  requestId?: string
  rows: Array<Record<string, unknown>>
  page: { size: number, offset: number, returned: number, hasMore: boolean, nextCursor: string | null }
  truncated?: boolean
  queryId: string
  source: string
  profile: Record<string, number>
}

const warnings: Array<Record<string, unknown>> = []
const logger = pino({ level: 'warn' }, new Writable({
  write (chunk: Buffer, _encoding, done) {
    warnings.push(JSON.parse(chunk.toString()) as Record<string, unknown>)
    done()
  }
}))
const warehouse = await emulator(t)
const gw = await gateway(t, warehouse, {}, logger)

const execute = async (id: string, body: unknown, headers: Record<string, string> = {}): Promise<{ res: Response, answer: Answer }> => {
  const res = await gw.post(`/v1/actions/${id}/execute`, body, headers)
  return { res, answer: await res.json() as Answer }
}

/** The statements an action ran since the query log had `before` entries (its QUERY_TAG is `id:version`). */
const ranSince = (before: number, tag: string): string[] =>
  warehouse.controls.queryLog().slice(before).filter((q) => q.queryTag === tag).map((q) => q.queryId)

t.test('a page of rows with profiler headers', async (t) => {
  const before = warehouse.controls.queryLog().length
  const { res, answer } = await execute('customers-paged', { variables: {} })
  t.equal(res.status, 200)
  t.match(answer, { status: 'ok', action: 'customers-paged', version: '1', source: 'warehouse', page: { size: 10, offset: 0, returned: 10, hasMore: true } })
  t.same(answer.rows, demoCustomers(1, 10), 'the first ten demo customers, in id order, with their values')
  t.equal(res.headers.get('x-cache'), 'BYPASS')
  t.equal(res.headers.get('x-rows'), '10')
  const ran = ranSince(before, 'customers-paged:1')
  t.equal(ran.length, 1, 'one statement, tagged with the action and version as QUERY_TAG')
  t.equal(answer.queryId, ran[0], 'the answer names the statement that ran')
  t.equal(res.headers.get('x-snowflake-query-id'), ran[0])
  t.match(res.headers.get('x-request-id'), /^[0-9a-f-]{36}$/)
  const timing = res.headers.get('server-timing') ?? ''
  for (const phase of ['validate', 'acquire', 'execute', 'fetch', 'output-validate', 'total']) t.match(timing, new RegExp(`${phase};dur=[0-9.]+`), phase)
})

t.test('the caller\'s request id is kept', async (t) => {
  const { res } = await execute('customers-paged', {}, { 'x-request-id': 'studio-call-42' })
  t.equal(res.headers.get('x-request-id'), 'studio-call-42')
})

t.test('walking the cursors gives the same rows as one full read, without running the SQL again', async (t) => {
  const expected = demoCustomers(1, 95)
  const full = await execute('customers-paged', { variables: { lastId: 'C000095' }, page: { size: 100 } })
  t.same(full.answer.rows, expected)
  t.equal(full.answer.page.hasMore, false)
  t.equal(full.answer.page.nextCursor, null)
  const before = warehouse.controls.queryLog().length
  const walked: Array<Record<string, unknown>> = []
  let answer = (await execute('customers-paged', { variables: { lastId: 'C000095' }, page: { size: 20 } })).answer
  const ran = ranSince(before, 'customers-paged:1')
  t.equal(answer.queryId, ran[0], 'the first page names its statement')
  walked.push(...answer.rows)
  let pages = 1
  while (answer.page.nextCursor) {
    answer = (await execute('customers-paged', { page: { cursor: answer.page.nextCursor } })).answer
    t.equal(answer.queryId, ran[0], 'later pages come from the first statement\'s result')
    walked.push(...answer.rows)
    pages++
  }
  t.equal(pages, 5)
  t.same(walked, expected)
  t.same(ranSince(before, 'customers-paged:1'), ran, 'one statement for five pages')
})

t.test('Studio\'s string variables are coerced to the declared types', async (t) => {
  const { res, answer } = await execute('echo-types', { variables: { name: 'Ann', count: '42', ratio: '2.5', flag: 'true', day: '2024-02-29' } })
  t.equal(res.status, 200)
  t.same(answer.rows, [{ NAME: 'Ann', COUNT: 42, RATIO: 2.5, FLAG: true, DAY: '2024-02-29', NOTE: null }])
})

t.test('form-encoded bodies are accepted in each shape Studio sends', async (t) => {
  const form = { 'content-type': 'application/x-www-form-urlencoded' }
  const expected = [{ NAME: 'Bo', COUNT: 7, RATIO: 0.5, FLAG: false, DAY: '2024-01-02', NOTE: null }]
  const bodies = [
    'variables[name]=Bo&variables[count]=7&variables[flag]=false&variables[day]=2024-01-02',
    'name=Bo&count=7&flag=false&day=2024-01-02',
    'variables=' + encodeURIComponent(JSON.stringify({ name: 'Bo', count: '7', flag: 'false', day: '2024-01-02' })),
    JSON.stringify({ variables: { name: 'Bo', count: '7', flag: 'false', day: '2024-01-02' } })
  ]
  for (const body of bodies) {
    const { res, answer } = await execute('echo-types', body, form)
    t.equal(res.status, 200, body)
    t.same(answer.rows, expected, body)
  }
  const paged = await execute('customers-paged', 'page[size]=3', form)
  t.equal(paged.answer.rows.length, 3)
})

t.test('bad input is a 4xx with the error shape, never a 500', async (t) => {
  const invalid = await execute('echo-types', { variables: { name: 'Ann', count: 'many', flag: 'perhaps' } })
  t.equal(invalid.res.status, 400)
  t.match(invalid.answer, { status: 'error', error: 'VARIABLES_INVALID', requestId: String })
  const paths = (invalid.answer.details as Array<{ path: string }>).map((d) => d.path).sort()
  t.same(paths, ['/', '/count', '/flag'], 'each problem with its path (day is missing at the root)')

  const unknown = await execute('no-such-action', {})
  t.equal(unknown.res.status, 404)
  t.match(unknown.answer, { status: 'error', error: 'ACTION_NOT_FOUND', message: "No action 'no-such-action' is defined" })

  const text = await execute('echo-types', 'hello', { 'content-type': 'text/plain' })
  t.equal(text.res.status, 415)
  t.equal(text.answer.error, 'UNSUPPORTED_MEDIA_TYPE')

  const huge = await execute('echo-types', { variables: { name: 'x'.repeat(70_000) } })
  t.equal(huge.res.status, 413)
  t.equal(huge.answer.error, 'BODY_TOO_LARGE')

  const broken = await execute('echo-types', '{"variables": ')
  t.equal(broken.res.status, 400)
  t.equal(broken.answer.error, 'BODY_INVALID')

  const badForm = await execute('echo-types', 'variables=not-json', { 'content-type': 'application/x-www-form-urlencoded' })
  t.equal(badForm.res.status, 400)
  t.equal(badForm.answer.error, 'BODY_INVALID')

  const pageTooBig = await execute('customers-paged', { page: { size: 1000 } })
  t.equal(pageTooBig.res.status, 400)
  t.equal(pageTooBig.answer.error, 'PAGE_INVALID')

  const extra = await execute('customers-paged', { variables: {}, limit: 5 })
  t.equal(extra.res.status, 400)
  t.equal(extra.answer.error, 'REQUEST_INVALID')
  for (const answer of [invalid, unknown, text, huge, broken, badForm, pageTooBig, extra].map((r) => r.answer)) {
    t.notMatch(JSON.stringify(answer), /at .*\.ts:\d+/, 'no stack trace leaks')
  }
})

t.test('an injection attempt is bound as a value: the SQL text reaches Snowflake unchanged', async (t) => {
  for (const attempt of ["' OR 1=1 --", "'; DROP TABLE CUSTOMER_SEGMENTS; --"]) {
    const { res, answer } = await execute('lookup-by-text', { variables: { customerId: attempt } })
    t.equal(res.status, 200)
    t.same(answer.rows, [], 'no customer has that id')
    const logged = warehouse.controls.queryLog().find((q) => q.queryId === answer.queryId)
    t.equal(logged?.sqlText, 'SELECT CUSTOMER_ID, SEGMENT FROM ANALYTICS_DB.PUBLIC.CUSTOMER_SEGMENTS WHERE CUSTOMER_ID = ?')
    t.same(logged?.bindings, { 1: { type: 'TEXT', value: attempt } })
  }
  const still = await execute('customers-paged', { page: { size: 1 } })
  t.equal(still.answer.rows.length, 1, 'the table is still there')
})

t.test('rows that break the output schema are a 502 naming the row and path', async (t) => {
  const { res, answer } = await execute('broken-output', {})
  t.equal(res.status, 502)
  t.match(answer, { error: 'OUTPUT_INVALID', details: { row: 0, errors: [{ path: '/LIFETIME_VALUE', message: 'must be string' }] } })
})

t.test('a SQL error is a 502 with Snowflake\'s code, and is not retried', async (t) => {
  const before = warehouse.controls.queryLog().length
  const { res, answer } = await execute('missing-table', {})
  t.equal(res.status, 502)
  t.match(answer, { error: 'STATEMENT_FAILED', details: { code: '002003', sqlState: '42S02' } })
  const runs = warehouse.controls.queryLog().slice(before).filter((q) => q.queryTag === 'missing-table:1')
  t.equal(runs.length, 1)
})

t.test('transient warehouse faults are retried within the deadline', async (t) => {
  warehouse.controls.injectFault({ match: /CUSTOMER_ID <= \?/, times: 2, error: { code: '000606', sqlState: '57P03', message: 'Warehouse TEST_WH is suspended.' } })
  const before = warehouse.controls.queryLog().length
  const { res, answer } = await execute('customers-paged', { page: { size: 2 } })
  t.equal(res.status, 200)
  t.equal(answer.rows.length, 2)
  const runs = warehouse.controls.queryLog().slice(before).filter((q) => q.queryTag === 'customers-paged:1')
  t.same(runs.map((q) => q.status), ['FAILED_WITH_ERROR', 'FAILED_WITH_ERROR', 'SUCCESS'])
  const retries = warnings.filter((line) => line.reqId === res.headers.get('x-request-id') && line.msg === 'retrying a transient Snowflake fault')
  t.match(retries, [{ action: 'customers-paged', err: { code: '000606' } }, { action: 'customers-paged' }], 'each retry is logged on the request\'s logger')
  t.equal(retries.length, 2)
})

t.test('a warehouse that stays unavailable is a 503 with Retry-After', async (t) => {
  warehouse.controls.suspendWarehouse()
  t.teardown(() => warehouse.controls.resumeWarehouse())
  const { res, answer } = await execute('customers-paged', {}, { 'x-request-timeout-ms': '1500' })
  t.equal(res.status, 503)
  t.equal(answer.error, 'WAREHOUSE_UNAVAILABLE')
  t.match(res.headers.get('retry-after'), /^\d+$/)
})

t.test('the deadline cancels the running statement: 504', async (t) => {
  warehouse.controls.injectFault({ match: /CUSTOMER_ID <= \?/, times: 1, latencyMs: 5000 })
  const started = Date.now()
  const { res, answer } = await execute('customers-paged', { variables: { lastId: 'C000050' } }, { 'x-request-timeout-ms': '400' })
  t.equal(res.status, 504)
  t.equal(answer.error, 'DEADLINE_EXCEEDED')
  t.ok(Date.now() - started < 3000, 'answered at the deadline, not when the statement would have ended')
  await t.resolves(waitFor(() => warehouse.controls.queryLog().some((q) => q.queryTag === 'customers-paged:1' && q.status === 'ABORTED' && q.sqlText.includes('<='))))
})

t.test('a caller that hangs up gets its statement cancelled', async (t) => {
  warehouse.controls.injectFault({ match: /CUSTOMER_ID = \?/, times: 1, latencyMs: 5000 })
  const before = warehouse.controls.queryLog().length
  const controller = new AbortController()
  const pending = fetch(`${gw.url}/v1/actions/lookup-by-text/execute`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ variables: { customerId: 'C000001' } }),
    signal: controller.signal
  })
  await waitFor(() => warehouse.controls.queryLog().slice(before).some((q) => q.status === 'RUNNING'))
  controller.abort()
  await t.rejects(pending)
  await t.resolves(waitFor(() => warehouse.controls.queryLog().slice(before).some((q) => q.queryTag === 'lookup-by-text:1' && q.status === 'ABORTED')))
})

t.test('an answer never passes the 32 KB cap: the page is cut and the cursor continues it', async (t) => {
  const cap = 32768
  const ids: string[] = []
  let cursor: string | null = null
  let pages = 0
  do {
    const res = await gw.post('/v1/actions/wide-rows/execute', cursor === null ? {} : { page: { cursor } })
    const text = await res.text()
    const answer = JSON.parse(text) as Answer
    const bytes = Buffer.byteLength(text)
    t.equal(res.status, 200)
    t.ok(bytes <= cap, `page ${pages}: ${bytes} bytes as sent`)
    t.equal(res.headers.get('content-length'), String(bytes))
    t.equal(answer.page.offset, ids.length, 'each page starts at the first row not yet sent')
    t.equal(res.headers.get('x-rows'), String(answer.rows.length), 'X-Rows counts the rows in the body')
    t.equal(answer.page.returned, answer.rows.length)
    if (answer.page.hasMore) {
      t.equal(answer.truncated, true)
      t.ok(bytes + oneMoreRow(answer) > cap, 'the largest page that fits: one more row would not')
    }
    ids.push(...answer.rows.map((row) => String(row.CUSTOMER_ID)))
    cursor = answer.page.nextCursor
    pages++
  } while (cursor !== null)
  t.ok(pages > 1, `${pages} pages`)
  t.same(ids, demoCustomers(1, 200).map((c) => c.CUSTOMER_ID), 'every row once, in order')
})

/** How many bytes longer `answer` would be with the next row of wide-rows in it too (and its cursor one row on). */
function oneMoreRow (answer: Answer): number {
  const { offset, returned, nextCursor } = answer.page
  const row = { CUSTOMER_ID: demoCustomer(offset + returned + 1).CUSTOMER_ID, FILLER: 'x'.repeat(500) }
  const [body = '', signature = ''] = (nextCursor ?? '').split('.')
  const payload = JSON.parse(Buffer.from(body, 'base64url').toString()) as { o: number }
  const longerCursor = Buffer.from(JSON.stringify({ ...payload, o: payload.o + 1 })).toString('base64url') + '.' + signature
  return Buffer.byteLength(',' + JSON.stringify(row)) + String(returned + 1).length - String(returned).length + longerCursor.length - (nextCursor ?? '').length
}

t.test('a cursor that was altered, forged or belongs elsewhere is refused', async (t) => {
  const { answer } = await execute('customers-paged', {})
  const cursor = answer.page.nextCursor ?? ''
  const [body, signature] = cursor.split('.')
  const payload = JSON.parse(Buffer.from(body ?? '', 'base64url').toString()) as Record<string, unknown>
  const altered = Buffer.from(JSON.stringify({ ...payload, o: 0 })).toString('base64url') + '.' + signature
  const cases: Array<[string, string, RegExp]> = [
    ['customers-paged', altered, /not issued by this gateway or has been altered/],
    ['customers-paged', 'garbage', /malformed/],
    ['customers-paged', 'e30.e30', /not issued by this gateway/],
    ['wide-rows', cursor, /belongs to action 'customers-paged'/]
  ]
  for (const [id, given, message] of cases) {
    const refused = await execute(id, { page: { cursor: given } })
    t.equal(refused.res.status, 400)
    t.equal(refused.answer.error, 'CURSOR_INVALID')
    t.match(refused.answer.message, message)
  }
})

t.test('the connection audit shows a JDBC URL and options with secrets redacted', async (t) => {
  const res = await gw.get('/v1/connection')
  const text = await res.text()
  t.equal(res.status, 200)
  t.notMatch(text, /test-password/)
  const audit = JSON.parse(text) as { jdbcUrl: string, driverOptions: Record<string, unknown> }
  t.match(audit.jdbcUrl, /^jdbc:snowflake:\/\/127\.0\.0\.1:\d+\/\?account=TESTACCT&ssl=off&user=gateway&authenticator=snowflake&warehouse=TEST_WH&db=ANALYTICS_DB&schema=PUBLIC/)
  t.equal(audit.driverOptions.password, '[redacted]')
})

t.test('an action with its own role and warehouse runs on a pool of its own', async (t) => {
  const own = await execute('reporting-warehouse', {})
  const shared = await execute('customers-paged', {})
  t.equal(own.res.status, 200)
  const log = warehouse.controls.queryLog()
  t.match(log.find((q) => q.queryId === own.answer.queryId), { warehouse: 'REPORTING_WH', role: 'REPORTER' })
  t.match(log.find((q) => q.queryId === shared.answer.queryId), { warehouse: 'TEST_WH' })
  const audit = await (await gw.get('/v1/connection')).json() as { pools: Array<{ key: string }> }
  t.same(audit.pools.map((p) => p.key).sort(), ['/TEST_WH', 'REPORTER/REPORTING_WH'])
})
