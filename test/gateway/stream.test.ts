import v8 from 'node:v8'
import vm from 'node:vm'
import t from 'tap'
import { emulator, gateway } from '../helper.js'

// Small chunks: a hundred of them for the million rows, and the driver holds at most a few at a time.
const warehouse = await emulator(t, { chunkRows: 10_000 })
const gw = await gateway(t, warehouse, { ACTIONS_DIR: 'actions' })

// A collection before each sample, so the heap measured is what is still held, not garbage not yet swept.
v8.setFlagsFromString('--expose-gc')
const gc = vm.runInNewContext('gc') as () => void
const liveHeap = (): number => {
  gc()
  return process.memoryUsage().heapUsed
}

/** Reads an NDJSON body line by line without keeping it, sampling the live heap as it goes. */
async function consume (res: Response, onRow: (row: Record<string, unknown>, index: number) => void): Promise<{ rows: number, bytes: number, peakHeapGrowth: number }> {
  const baseline = liveHeap()
  let peak = baseline
  let sampledAt = 0
  let rows = 0
  let bytes = 0
  let rest = ''
  const decoder = new TextDecoder()
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    bytes += chunk.byteLength
    const text = rest + decoder.decode(chunk, { stream: true })
    const lines = text.split('\n')
    rest = lines.pop() ?? ''
    for (const line of lines) onRow(JSON.parse(line) as Record<string, unknown>, rows++)
    if (bytes - sampledAt > 10e6) {
      sampledAt = bytes
      peak = Math.max(peak, liveHeap())
    }
  }
  if (rest !== '') throw new Error('the stream ended inside a line')
  return { rows, bytes, peakHeapGrowth: peak - baseline }
}

t.test('the whole result streams as NDJSON with bounded memory: 1,000,000 rows', async (t) => {
  const res = await gw.post('/v1/actions/interaction-export/stream', { variables: {} })
  t.equal(res.status, 200)
  t.match(res.headers.get('content-type'), /^application\/x-ndjson/)
  t.equal(res.headers.get('x-rows'), '1000000')
  t.match(res.headers.get('x-snowflake-query-id'), /^[0-9a-f-]{36}$/)
  let ordered = true
  const { rows, bytes, peakHeapGrowth } = await consume(res, (row, index) => {
    if (row.EVENT_ID !== index + 1) ordered = false
  })
  t.equal(rows, 1_000_000)
  t.ok(ordered, 'every row once, in order')
  t.ok(bytes > 100e6, `the rows take ${Math.round(bytes / 1e6)} MB as NDJSON`)
  t.ok(peakHeapGrowth < 32e6, `the live heap grew by at most ${Math.round(peakHeapGrowth / 1e6)} MB while ${Math.round(bytes / 1e6)} MB streamed`)
})

t.test('without `all` the stream stops at maxRows; variables are validated first', async (t) => {
  const res = await gw.post('/v1/actions/interaction-export/stream', { variables: { fromEventId: '1999001' } })
  t.equal(res.status, 200)
  const { rows } = await consume(res, () => {})
  t.equal(rows, 1000)
  const bad = await gw.post('/v1/actions/interaction-export/stream', { variables: { fromEventId: 'first' } })
  t.equal(bad.status, 400)
  t.match(await bad.json(), { status: 'error', error: 'VARIABLES_INVALID' })
})

t.test('the shipped example actions answer from the demo data', async (t) => {
  const lookup = await gw.post('/v1/actions/customer-lookup/execute', { variables: { customerId: 'C000042' } })
  t.equal(lookup.status, 200)
  t.match(await lookup.json(), { rows: [{ CUSTOMER_ID: 'C000042', SEGMENT: String, LIFETIME_VALUE: Number, REGION: String, UPDATED_AT: /^2024-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/ }] })
  const segment = await gw.post('/v1/actions/segment-customers/execute', { variables: { segment: 'GOLD', minLifetimeValue: '45000' } })
  const answer = await segment.json() as { rows: Array<{ SEGMENT: string, LIFETIME_VALUE: number }>, page: { hasMore: boolean } }
  t.equal(segment.status, 200)
  t.equal(answer.rows.length, 25)
  t.ok(answer.rows.every((r) => r.SEGMENT === 'GOLD' && r.LIFETIME_VALUE >= 45000))
  t.ok(answer.page.hasMore)
  const list = await (await gw.get('/v1/actions')).json() as { actions: Array<{ id: string }> }
  t.same(list.actions.map((a) => a.id).sort(), ['customer-lookup', 'interaction-export', 'segment-customers'])
  const one = await gw.get('/v1/actions/segment-customers')
  t.match(await one.json(), { id: 'segment-customers', input: { properties: { segment: { enum: ['PLATINUM', 'GOLD', 'SILVER', 'BRONZE'] } } } })
})
