import t from 'tap'
import { emulator, gateway } from '../helper.js'

const warehouse = await emulator(t)
const gw = await gateway(t, warehouse)

t.test('a row that breaks the schema before any is sent is a plain 502 JSON error', async (t) => {
  const res = await gw.post('/v1/actions/broken-output/stream', {})
  t.equal(res.status, 502)
  t.match(res.headers.get('content-type'), /^application\/json/)
  // The same details as execute gives for the same row.
  t.match(await res.json(), { status: 'error', error: 'OUTPUT_INVALID', details: { row: 0, errors: [{ path: '/LIFETIME_VALUE', message: 'must be string' }] } })
})

t.test('a failure after rows were streamed cuts the response, so it never looks complete', async (t) => {
  const res = await gw.post('/v1/actions/breaks-late/stream', {})
  t.equal(res.status, 200)
  let received = ''
  const decoder = new TextDecoder()
  const read = (async () => {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) received += decoder.decode(chunk, { stream: true })
  })()
  await t.rejects(read, 'the body ends in an error, not a clean end')
  const lines = received.split('\n').filter((line) => line !== '')
  t.ok(lines.length < 2499, `only rows before the broken one arrived (${lines.length})`)
  t.notOk(received.includes('"broken"'), 'the row that broke the schema was not sent')
})
