import t from 'tap'
import { emulator, gateway, waitFor } from '../helper.js'
import { notAnEnvelope, send, sendBytes } from '../http.js'

// Framework errors, parser errors, slow clients and shutdown answer in the gateway's error envelope and never
// echo the request back.

const warehouse = await emulator(t)
const gw = await gateway(t, warehouse, { REQUEST_TIMEOUT_MS: '500' })

/** Status line and body of a raw HTTP/1.1 response. */
function parseRaw (text: string): { status: number, headers: string, body: string } {
  const split = text.indexOf('\r\n\r\n')
  const head = split < 0 ? text : text.slice(0, split)
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0), headers: head, body: split < 0 ? '' : text.slice(split + 4) }
}

const clientErrors = async (reason: string): Promise<number> => {
  const text = await gw.service.app.metrics.registry.getSingleMetricAsString('gateway_client_errors_total')
  return Number(new RegExp(`reason="${reason}"} (\\d+)`).exec(text)?.[1] ?? 0)
}

t.test('framework errors come in the envelope without the request echoed', async (t) => {
  const marker = 'ZQXMARKER'
  const cases: Array<{ name: string, target: string, method?: string, headers?: Record<string, string>, body?: string, status: number, error: string }> = [
    { name: 'bad percent-encoding', target: `/v1/actions/%zz${marker}/execute`, method: 'POST', status: 400, error: 'URL_INVALID' },
    { name: 'an over-long action id', target: `/v1/actions/${marker}${'a'.repeat(300)}/execute`, method: 'POST', status: 414, error: 'URL_TOO_LONG' },
    { name: 'no such route', target: `/v1/${marker}`, status: 404, error: 'ROUTE_NOT_FOUND' },
    { name: 'no such route outside /v1', target: `/${marker}?${marker}`, status: 404, error: 'ROUTE_NOT_FOUND' },
    { name: 'an unsupported media type', target: '/v1/actions/customers-paged/execute', method: 'POST', headers: { 'content-type': `text/${marker}` }, body: marker, status: 415, error: 'UNSUPPORTED_MEDIA_TYPE' },
    { name: 'plain text', target: '/v1/actions/customers-paged/execute', method: 'POST', headers: { 'content-type': 'text/plain' }, body: marker, status: 415, error: 'UNSUPPORTED_MEDIA_TYPE' },
    { name: 'broken JSON', target: '/v1/actions/customers-paged/execute', method: 'POST', headers: { 'content-type': 'application/json' }, body: `{"variables": ${marker}`, status: 400, error: 'BODY_INVALID' },
    { name: 'an empty JSON body', target: '/v1/actions/customers-paged/execute', method: 'POST', headers: { 'content-type': 'application/json' }, body: '', status: 400, error: 'BODY_INVALID' },
    { name: 'a body over the limit', target: '/v1/actions/customers-paged/execute', method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ variables: { x: marker.repeat(8000) } }), status: 413, error: 'BODY_TOO_LARGE' },
    { name: 'an absolute-form target', target: `http://${marker}/v1/actions`, status: 400, error: 'REQUEST_TARGET_INVALID' }
  ]
  for (const c of cases) {
    const answer = await send(gw.url, { method: c.method ?? 'GET', target: c.target, headers: c.headers, body: c.body })
    t.equal(answer.status, c.status, `${c.name}: status`)
    t.equal(notAnEnvelope(answer.text), undefined, `${c.name}: the envelope`)
    t.match(JSON.parse(answer.text), { error: c.error, requestId: answer.headers['x-request-id'] }, `${c.name}: code and request id`)
    t.notMatch(answer.text, marker, `${c.name}: nothing of the request echoed`)
    t.match(answer.headers['content-type'], /^application\/json/, `${c.name}: JSON`)
  }
})

t.test('what the HTTP parser refuses is answered in the envelope, counted, and the connection closed', async (t) => {
  const garbage = parseRaw(await sendBytes(gw.url, 'NOT HTTP AT ALL\r\n\r\n'))
  t.equal(garbage.status, 400)
  t.match(JSON.parse(garbage.body), { status: 'error', error: 'REQUEST_INVALID' })
  t.equal(await clientErrors('bad_request'), 1)

  const huge = parseRaw(await sendBytes(gw.url, `GET /v1/actions HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`))
  t.equal(huge.status, 431)
  t.match(JSON.parse(huge.body), { status: 'error', error: 'HEADERS_TOO_LARGE' })
  t.notMatch(huge.body, 'bbbb')
  t.equal(await clientErrors('headers_too_large'), 1)
})

t.test('a client that sends its body too slowly is cut at REQUEST_TIMEOUT_MS', async (t) => {
  const started = Date.now()
  const head = 'POST /v1/actions/customers-paged/execute HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"vari'
  const answer = await Promise.race([
    sendBytes(gw.url, head, { pauseAfterMs: 0 }),
    new Promise<string>((resolve) => setTimeout(() => resolve('still open'), 4000))
  ])
  const took = Date.now() - started
  t.not(answer, 'still open', 'the connection was closed')
  t.ok(took < 2500, `closed after ${took} ms (timeout 500 ms, checked every 500 ms)`)
  const cut = parseRaw(answer)
  t.equal(cut.status, 408)
  t.match(JSON.parse(cut.body), { status: 'error', error: 'REQUEST_TIMEOUT', message: 'The request did not arrive within 500 ms' })
  await waitFor(async () => await clientErrors('request_timeout') === 1)

  const slowHeaders = await Promise.race([
    sendBytes(gw.url, 'GET /v1/actions HTTP/1.1\r\nHost: x\r\nX-Slow: ', { pauseAfterMs: 0 }),
    new Promise<string>((resolve) => setTimeout(() => resolve('still open'), 4000))
  ])
  t.equal(parseRaw(slowHeaders).status, 408, 'headers that never end are cut too')
})

t.test('a request that arrives while the gateway closes gets 503 SHUTTING_DOWN in the envelope', async (t) => {
  const closing = await gateway(t, warehouse)
  warehouse.controls.injectFault({ match: /CUSTOMER_ID <= \?/, latencyMs: 1500 })
  t.teardown(() => warehouse.controls.clearFaults())
  const { hostname, port } = new URL(closing.url)
  const { connect } = await import('node:net')
  const socket = connect(Number(port), hostname)
  let text = ''
  socket.setEncoding('utf8')
  socket.on('data', (chunk: string) => { text += chunk })
  const body = '{"variables":{"lastId":"C000077"}}'
  socket.write(`POST /v1/actions/customers-paged/execute HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`)
  await waitFor(() => closing.service.app.drain.inFlight === 1)
  const closed = closing.service.close()
  await waitFor(() => closing.service.app.drain.refusing)
  // On the connection already open (a kept-alive one), behind the request still running.
  socket.write('GET /v1/actions HTTP/1.1\r\nHost: x\r\n\r\n')
  await new Promise((resolve) => socket.once('close', resolve))
  await closed
  const answers = text.split(/(?=HTTP\/1\.1 )/).map(parseRaw)
  t.same(answers.map((a) => a.status), [200, 503], 'the running request finished; the new one was refused')
  const refused = answers[1]
  t.match(JSON.parse(refused?.body ?? '{}'), { status: 'error', error: 'SHUTTING_DOWN', requestId: String })
  t.match(refused?.headers, /retry-after: 1/i)
})
