import http from 'node:http'
import { Writable } from 'node:stream'
import { pino } from 'pino'
import t from 'tap'
import { emulator, gateway, waitFor } from '../helper.js'

const logLines: Array<Record<string, unknown>> = []
const logger = pino({ level: 'info' }, new Writable({
  write (chunk: Buffer, _encoding, done) {
    logLines.push(JSON.parse(chunk.toString()) as Record<string, unknown>)
    done()
  }
}))
const linesOf = (reqId: string): Array<Record<string, unknown>> => logLines.filter((line) => line.reqId === reqId)

// 200,000 interaction events: far more than a reader that stops after a few KB takes, or the sockets hold.
const warehouse = await emulator(t, { bigTableRows: 200_000, chunkRows: 10_000 })
const gw = await gateway(t, warehouse, { ACTIONS_DIR: 'actions' }, logger)
const fixtures = await gateway(t, warehouse, {}, logger)

const newlines = (chunk: Buffer | string): number => String(chunk).split('\n').length - 1

/**
 * Counts the NDJSON lines the server writes to the response of the request with this id while the response is
 * open, as a second listener of the same HTTP server sees them: what the route hands over, not what it planned.
 */
function rowsWrittenTo (server: http.Server, reqId: string): { count: number } {
  const written = { count: 0 }
  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (req.headers['x-request-id'] !== reqId) return
    const write = res.write
    res.write = function (this: http.ServerResponse, chunk: Buffer | string, ...rest: unknown[]) {
      if (!res.destroyed) written.count += newlines(chunk)
      return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest)
    } as typeof res.write
  })
  return written
}

/** A real client that reads the first `bytes` of a stream, then destroys its connection. */
async function readThenHangUp (url: string, reqId: string, bytes: number): Promise<{ status: number, headers: http.IncomingHttpHeaders, rowsReceived: number }> {
  return await new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': reqId } }, (res) => {
      let received = ''
      res.on('data', (chunk: Buffer) => {
        received += chunk.toString()
        if (received.length < bytes) return
        req.destroy()
        resolve({ status: res.statusCode ?? 0, headers: res.headers, rowsReceived: newlines(received) })
      })
      res.on('end', () => { reject(new Error('the stream ended before the client hung up')) })
    })
    req.on('error', () => {})
    req.end(JSON.stringify({ variables: {} }))
  })
}

t.test('a reader that hangs up part-way is logged as aborted, with the rows it was sent', async (t) => {
  const reqId = 'stream-aborted-1'
  const written = rowsWrittenTo(gw.service.app.server, reqId)
  const { status, headers, rowsReceived } = await readThenHangUp(`${gw.url}/v1/actions/interaction-export/stream`, reqId, 256 * 1024)
  t.equal(status, 200)
  t.equal(headers['x-rows'], '200000', 'the whole table was planned')
  t.ok(rowsReceived > 0, `the client read ${rowsReceived} rows`)

  await waitFor(() => linesOf(reqId).some((line) => line.msg === 'request'))
  const requestLines = linesOf(reqId).filter((line) => line.msg === 'request')
  t.equal(requestLines.length, 1, 'one line for the request')
  t.match(requestLines[0], {
    level: 30,
    method: 'POST',
    route: '/v1/actions/:id/stream',
    tenant: 'public',
    action: 'interaction-export',
    status: 200,
    cache: 'BYPASS',
    queryId: headers['x-snowflake-query-id'],
    rows: '200000',
    aborted: true,
    rowsSent: Number,
    durationMs: Number
  })
  const rowsSent = requestLines[0]?.rowsSent as number
  t.equal(rowsSent, written.count, `rowsSent counts the rows written to the response (${written.count})`)
  t.ok(rowsSent >= rowsReceived && rowsSent < 200_000, `${rowsSent} rows sent: at least what the client read, far fewer than planned`)
  t.same(linesOf(reqId).filter((line) => (line.level as number) >= 40), [], 'a reader leaving is no failure')

  await t.resolves(waitFor(() => gw.service.warehouse.connections.stats().every((pool) => pool.borrowed === 0)), 'the statement\'s connection is back in the pool')
})

t.test('a stream read to its end has the usual request line, not marked aborted', async (t) => {
  const res = await gw.post('/v1/actions/interaction-export/stream', { variables: { fromEventId: 199_001 } }, { 'x-request-id': 'stream-whole-1' })
  t.equal(newlines(await res.text()), 1000)
  await waitFor(() => linesOf('stream-whole-1').some((line) => line.msg === 'request'))
  const requestLines = linesOf('stream-whole-1').filter((line) => line.msg === 'request')
  t.equal(requestLines.length, 1)
  t.match(requestLines[0], { status: 200, rows: '1000' })
  t.notOk('aborted' in (requestLines[0] ?? {}))
  t.notOk('rowsSent' in (requestLines[0] ?? {}))
})

t.test('a stream that fails part-way is logged as failed, not as aborted by its reader', async (t) => {
  const res = await fixtures.post('/v1/actions/breaks-late/stream', {}, { 'x-request-id': 'stream-broken-1' })
  t.equal(res.status, 200)
  await t.rejects(res.text(), 'the response is cut')
  await waitFor(() => linesOf('stream-broken-1').some((line) => line.level === 50))
  await waitFor(() => fixtures.service.warehouse.connections.stats().every((pool) => pool.borrowed === 0))
  t.match(linesOf('stream-broken-1'), [{ msg: 'the NDJSON stream failed part-way; the response was cut', err: { code: 'OUTPUT_INVALID' } }])
  t.notOk(linesOf('stream-broken-1').some((line) => line.aborted === true))
})
