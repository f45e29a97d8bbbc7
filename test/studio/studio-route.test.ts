import { createHash } from 'node:crypto'
import t from 'tap'
import { emulator, gateway, waitFor } from '../helper.js'
import { exampleValues, studioBody, type Json } from './studio-body.js'

// GET /v1/actions/{id}/studio over the shipped actions: Studio SNIPPET text with the call, the status branch and
// the paging loop, and with ?async=true the job form and its ONSIGNAL part. The request body the snippet builds
// is checked against the real gateway, with every value a string as `.asjson()` makes it.

const warehouse = await emulator(t)
const gw = await gateway(t, warehouse, { ACTIONS_DIR: 'actions' })
const shipped = [...gw.service.app.actions.values()]

const snippetOf = async (path: string, headers: Record<string, string> = {}): Promise<string> => {
  const res = await gw.get(path, headers)
  t.equal(res.status, 200, path)
  t.equal(res.headers.get('content-type'), 'text/plain; charset=utf-8')
  return await res.text()
}

t.test('each shipped action has a snippet with its variables, the status branch and the paging loop', async (t) => {
  t.same(shipped.map((a) => a.id).sort(), ['customer-lookup', 'interaction-export', 'segment-customers'])
  for (const action of shipped) {
    const snippet = await snippetOf(`/v1/actions/${action.id}/studio`)
    t.match(snippet, `ASSIGN gwUrl = "{gwBase}/v1/actions/${action.id}/execute"`)
    t.match(snippet, `ASSIGN gwBase = "${gw.url}"`, 'the base URL this request reached')
    t.match(snippet, 'ASSIGN gwProxy = GetRESTProxy()')
    t.match(snippet, 'gwProxy.ContentType = "application/json"')
    t.match(snippet, 'gwProxy.AddHeader("Authorization", "Bearer {API_KEY}")')
    t.match(snippet, /^\/\/ Snippet calls wait 10 s by default and NICE advises 2 s or less/m)
    t.match(snippet, /^gwProxy\.ProxyTimeoutSeconds = \d+$/m)
    for (const name of Object.keys((action.input.properties ?? {}) as Json)) {
      t.match(snippet, `ASSIGN gwBody.variables.${name} = "{${name}}"`, `${action.id}: ${name} from the same-named Studio variable`)
    }
    t.match(snippet, `ASSIGN gwBody.page.size = ${action.page.defaultSize}`)
    t.match(snippet, 'ASSIGN gwStatus = "{gwProxy.StatusCode}"', 'the status the snippet API exposes')
    t.match(snippet, /IF gwStatus != 200\n\s*\{\n\s*ASSIGN gwError = "\{gwResp\.error\}"/, 'the branch on the status, then the error code')
    for (const code of ['VARIABLES_INVALID', 'RATE_LIMITED', 'DEADLINE_EXCEEDED']) t.match(snippet, `CASE gwError = "${code}"`)
    t.match(snippet, /ASSIGN gwOutcome = "RETRY"\n\s*ASSIGN gwRetrySeconds = 5/)
    t.match(snippet, /FOR gwPageNo = 1 TO gwMaxPages/, 'the paging loop')
    t.match(snippet, 'ASSIGN gwBody.page.cursor = gwCursor')
    t.match(snippet, 'ASSIGN gwCursor = "{gwResp.page.nextCursor}"')
    t.match(snippet, 'ASSIGN gwHasMore = "{gwResp.page.hasMore}"')
    t.match(snippet, 'ASSIGN gwComplete = "{gwResp.page.complete}"')
    for (const column of Object.keys((action.output.properties ?? {}) as Json)) {
      t.match(snippet, `ASSIGN gwRows[gwCount].${column} = "{gwResp.rows[gwR].${column}}"`)
    }
    t.notMatch(snippet, /ONSIGNAL|"async"/, 'the synchronous form has no job')
  }
})

t.test('the asynchronous form starts a job for this contact and handles its signal', async (t) => {
  for (const action of shipped) {
    const snippet = await snippetOf(`/v1/actions/${action.id}/studio?async=true`)
    t.match(snippet, 'ASSIGN gwBody.mode = "async"')
    t.match(snippet, 'ASSIGN gwBody.callback.contactId = "{CONTACTID}"')
    t.match(snippet, /IF gwStatus = 202\n\{\n {2}ASSIGN gwJobId = "\{gwResp\.jobId\}"/)
    t.match(snippet, /part 2 of 2: a SNIPPET action right after the ONSIGNAL event/)
    for (const [sp, name] of [['SP1', 'gwSignalJobId'], ['SP2', 'gwJobState'], ['SP3', 'gwJobRows'], ['SP4', 'gwSignalValue'], ['SP5', 'gwError']]) {
      t.match(snippet, `ASSIGN ${name} = "{${sp}}"`)
    }
    t.match(snippet, 'ASSIGN gwJobUrl = "{gwBase}/v1/jobs/{gwJobId}"', 'the jobs URL')
    t.match(snippet, 'gwProxy.MakeRestRequest(gwJobUrl, "", 0, "GET")')
    t.match(snippet, 'CASE gwSignalJobId != gwJobId', 'another job\'s signal is ignored')
    t.match(snippet, 'CASE gwJobState = "failed"')
    t.match(snippet, 'ASSIGN gwPageBody.page.cursor = gwCursor', 'later pages continue by cursor, synchronously')
    t.notMatch(snippet, /gwPageBody\.mode/, 'a cursor page is never sent with mode async')
  }
  const segment = await snippetOf('/v1/actions/segment-customers/studio?async=true')
  t.match(segment, 'ASSIGN gwSignalValue = "{SP4}"  // the first row\'s CUSTOMER_ID', 'async.signalValue is named')
  t.match(await snippetOf('/v1/actions/customer-lookup/studio?async=true'), '// empty: this action names no async.signalValue')
})

t.test('the body the synchronous snippet builds runs the action, page after page', async (t) => {
  for (const action of shipped) {
    const snippet = await snippetOf(`/v1/actions/${action.id}/studio`)
    const body = studioBody(snippet, 'gwBody', exampleValues(action.input))
    const first = await gw.post(`/v1/actions/${action.id}/execute`, body)
    const answer = await first.json() as { rows: unknown[], page: { hasMore: boolean, nextCursor: string | null } }
    t.equal(first.status, 200, `${action.id} with ${JSON.stringify(body)}`)
    t.ok(answer.rows.length > 0)
    if (!answer.page.hasMore) continue
    const next = studioBody(snippet, 'gwBody', { ...exampleValues(action.input), gwCursor: answer.page.nextCursor ?? '' })
    t.equal((next.page as Json).cursor, answer.page.nextCursor)
    t.equal((await gw.post(`/v1/actions/${action.id}/execute`, next)).status, 200, `${action.id}: the next page, variables with the cursor`)
  }
})

t.test('the body the asynchronous snippet builds starts a job whose answer the handler pages through', async (t) => {
  const snippet = await snippetOf('/v1/actions/segment-customers/studio?async=true')
  const values = { segment: 'GOLD', minLifetimeValue: '10000', CONTACTID: '123' }
  const start = studioBody(snippet, 'gwBody', values)
  t.same(start, { variables: { segment: 'GOLD', minLifetimeValue: '10000' }, page: { size: '25' }, mode: 'async', callback: { contactId: '123' } })
  const refused = await gw.post('/v1/actions/segment-customers/execute', start)
  t.equal(refused.status, 400, 'the body passes the schema; only the callback is refused here, CXone not being configured')
  t.match(await refused.json(), { error: 'CALLBACK_UNAVAILABLE' })

  const { callback: _callback, ...withoutCallback } = start
  const accepted = await gw.post('/v1/actions/segment-customers/execute', withoutCallback)
  t.equal(accepted.status, 202)
  const { jobId } = await accepted.json() as { jobId: string }
  // What part 2 fetches after the signal: gwJobUrl = {gwBase}/v1/jobs/{gwJobId}
  const jobUrl = `/v1/jobs/${jobId}`
  let job: { job: { state: string }, rows?: unknown[], page?: { hasMore: boolean, nextCursor: string } } = { job: { state: 'queued' } }
  await waitFor(async () => {
    job = await (await gw.get(jobUrl)).json() as typeof job
    return job.job.state === 'succeeded' || job.job.state === 'failed'
  }, 10_000)
  t.equal(job.job.state, 'succeeded')
  t.equal(job.rows?.length, 25)
  t.equal(job.page?.hasMore, true)
  const next = studioBody(snippet, 'gwPageBody', { ...values, gwCursor: job.page?.nextCursor ?? '' })
  const second = await gw.post('/v1/actions/segment-customers/execute', next)
  t.equal(second.status, 200, 'the next page by cursor, as part 2 asks for it')
  t.equal((await second.json() as { rows: unknown[] }).rows.length, 25)
})

t.test('behind a proxy, the snippet calls the address the caller used', async (t) => {
  const snippet = await snippetOf('/v1/actions/customer-lookup/studio', { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'gateway.example.com' })
  t.match(snippet, 'ASSIGN gwBase = "https://gateway.example.com"')
  t.match(snippet, '// Gateway base URL from X-Forwarded-Proto and X-Forwarded-Host of the request for this snippet')
  const odd = await snippetOf('/v1/actions/customer-lookup/studio', { 'x-forwarded-host': 'evil.example"; ASSIGN x = 1' })
  t.match(odd, 'ASSIGN gwBase = "https://gateway-host.invalid"', 'a host that is not a plain host is a placeholder')
  t.notMatch(odd, 'evil')
})

t.test('an unknown action is a 404, a bad async flag a 400', async (t) => {
  const missing = await gw.get('/v1/actions/no-such-action/studio')
  t.equal(missing.status, 404)
  t.match(await missing.json(), { status: 'error', error: 'ACTION_NOT_FOUND' })
  const bad = await gw.get('/v1/actions/customer-lookup/studio?async=maybe')
  t.equal(bad.status, 400)
  t.match(await bad.json(), { status: 'error' })
})

t.test('with API keys: only a tenant allowed the action gets its snippet, and no key or secret is in it', async (t) => {
  const sha256 = (key: string): string => createHash('sha256').update(key).digest('hex')
  const keys = { acme: 'acme-key-0123456789', ops: 'ops-admin-key-0123456789' }
  const dir = t.testdir({
    'tenants.yaml': `
tenants:
  - name: acme
    actions: [customer-lookup]
    keys: [{ id: acme, sha256: ${sha256(keys.acme)} }]
  - name: ops
    admin: true
    keys: [{ id: ops, sha256: ${sha256(keys.ops)} }]
`
  })
  const secured = await gateway(t, warehouse, { ACTIONS_DIR: 'actions', API_KEYS_FILE: `${dir}/tenants.yaml` })
  t.equal((await secured.get('/v1/actions/customer-lookup/studio')).status, 401, 'no key')
  const forbidden = await secured.get('/v1/actions/segment-customers/studio', { authorization: `Bearer ${keys.acme}` })
  t.equal(forbidden.status, 403)
  t.match(await forbidden.json(), { error: 'ACTION_FORBIDDEN' })
  t.equal((await secured.get('/v1/actions/no-such-action/studio', { 'x-api-key': keys.acme })).status, 403, 'an action outside the tenant\'s list, known or not')
  t.equal((await secured.get('/v1/actions/no-such-action/studio', { 'x-api-key': keys.ops })).status, 404, 'an admin allowed every action learns it does not exist')

  const secrets = [keys.acme, keys.ops, sha256(keys.acme), sha256(keys.ops), 'test-cursor-secret-0123456789', 'test-password']
  for (const query of ['', '?async=true']) {
    const res = await secured.get(`/v1/actions/customer-lookup/studio${query}`, { authorization: `Bearer ${keys.acme}` })
    t.equal(res.status, 200)
    t.equal(res.headers.get('cache-control'), 'private, no-store')
    const text = await res.text()
    for (const secret of secrets) t.notOk(text.includes(secret), `no ${secret.slice(0, 8)}… in the snippet${query}`)
    t.match(text, 'Bearer {API_KEY}', 'the key is a placeholder')
  }
})

t.test('Swagger UI links each action\'s operation to its snippet, and documents the route as text', async (t) => {
  interface Operation { description?: string, responses?: Record<string, { content?: Record<string, unknown> }> }
  const document = await (await gw.get('/docs/json')).json() as { paths: Record<string, Record<string, Operation>> }
  for (const action of shipped) {
    t.match(document.paths[`/v1/actions/${action.id}/execute`]?.post?.description, `[GET /v1/actions/${action.id}/studio](/v1/actions/${action.id}/studio)`)
  }
  t.ok(document.paths['/v1/actions/{id}/studio']?.get?.responses?.['200']?.content?.['text/plain'], 'GET /v1/actions/{id}/studio answers text/plain')
})
