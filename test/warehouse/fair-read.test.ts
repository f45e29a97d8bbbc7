import t from 'tap'
import { Timings } from '../../src/timings.js'
import { emulator, gateway } from '../helper.js'

// A long read (the rest of a cache fill, a stream) must leave the event loop to other requests between its
// batches: a chunk's rows are already downloaded, and reading them through without a pause would hold every
// other caller (a first page, a cache hit, a Redis reply) for as long as the chunk takes.

const warehouse = await emulator(t, { inlineRows: 100, chunkRows: 20_000 })
const gw = await gateway(t, warehouse)

type Sink = Parameters<typeof gw.service.warehouse.query>[1]['sink']

/** The first `end` customers, read in batches of 1,000 into `sink`. */
async function readCustomers (end: number, sink: Sink): Promise<void> {
  await gw.service.warehouse.query({ sqlText: `SELECT CUSTOMER_ID FROM ANALYTICS_DB.PUBLIC.CUSTOMER_SEGMENTS ORDER BY CUSTOMER_ID LIMIT ${end}`, binds: [], queryTag: 'test:fair' }, {
    tenant: 'test',
    target: {},
    deadline: Date.now() + 20_000,
    signal: new AbortController().signal,
    start: 0,
    end,
    batchSize: 1000,
    timings: new Timings(),
    sink
  })
}

t.test('the batches of one downloaded chunk are read with the event loop let go between them', async (t) => {
  // Counts turns of the event loop: each turn runs the immediate queued in the one before.
  let ticks = 0
  let ticking = true
  const tick = (): void => { if (ticking) { ticks++; setImmediate(tick) } }
  setImmediate(tick)
  t.teardown(() => { ticking = false })
  const seen: number[] = []
  await readCustomers(20_100, () => ({ add: () => { seen.push(ticks) } }))
  t.equal(seen.length, 21, 'every batch was read')
  // Batches 2 to 21 come from the one 20,000-row chunk: a timer must get its turn between each of them.
  const stalls = seen.slice(2).filter((tick, n) => tick === seen[n + 1]).length
  t.equal(stalls, 0, `no two batches of the chunk back to back without the loop turning (${seen.join(',')})`)
})

t.test('a batch\'s cache writes are waited for before the next batch is read', async (t) => {
  let pending = 0
  let most = 0
  let batches = 0
  await readCustomers(5000, () => ({
    add: async () => {
      batches++
      most = Math.max(most, ++pending)
      await new Promise((resolve) => setTimeout(resolve, 20))
      pending--
    }
  }))
  t.equal(batches, 5)
  t.equal(most, 1, 'never more than one batch\'s writes in flight')
})
