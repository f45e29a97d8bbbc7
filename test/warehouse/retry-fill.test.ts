import { pino } from 'pino'
import t from 'tap'
import { memoryStore } from '../../src/cache/memory-store.js'
import { ResultCache } from '../../src/cache/result-cache.js'
import { Timings } from '../../src/timings.js'
import type { RowSink } from '../../src/warehouse/warehouse.js'
import type { Row } from '../../src/warehouse/rows.js'
import { emulator, gateway } from '../helper.js'

// A read that fails part-way and is retried must not add the failed attempt's rows to the retry's. Through
// HTTP a chunk download fails for good only after the driver's own ten retries (over a minute), so the fault
// is raised here where the warehouse hands rows to the attempt's sink, with the real driver and emulator.

const warehouse = await emulator(t, { inlineRows: 500, chunkRows: 500 })
const gw = await gateway(t, warehouse)
const { warehouse: snowflake } = gw.service

const spec = { sqlText: 'SELECT CUSTOMER_ID FROM ANALYTICS_DB.PUBLIC.CUSTOMER_SEGMENTS WHERE CUSTOMER_ID <= ? ORDER BY CUSTOMER_ID', binds: ['C003000'], queryTag: 'test:retry' }
const transient = (): Error => Object.assign(new Error('chunk download failed'), { response: { statusCode: 503 } })

t.test('each attempt gets a fresh sink; a failed attempt\'s sink is discarded and never counted', async (t) => {
  const attempts: Array<{ queryId: string, rows: Row[], discarded: boolean }> = []
  const signal = new AbortController().signal
  const result = await snowflake.query(spec, {
    tenant: 'test',
    target: {},
    deadline: Date.now() + 20_000,
    signal,
    start: 0,
    end: 3000,
    batchSize: 1000,
    timings: new Timings(),
    sink: (queryId): RowSink => {
      const attempt = { queryId, rows: [] as Row[], discarded: false }
      attempts.push(attempt)
      return {
        add: (rows) => {
          // The first attempt breaks after its first batch, as a failed chunk download would.
          if (attempts.length === 1 && attempt.rows.length > 0) throw transient()
          attempt.rows.push(...rows)
        },
        discard: () => { attempt.discarded = true }
      }
    }
  })
  t.equal(attempts.length, 2, 'the read was retried once')
  t.ok(attempts[0]?.discarded, 'the failed attempt\'s sink was discarded')
  t.notOk(attempts[1]?.discarded, 'the completed one was not')
  t.equal(attempts[1]?.rows.length, 3000, 'the retry saw every row once')
  t.equal(new Set(attempts[1]?.rows.map((r) => r.CUSTOMER_ID)).size, 3000)
  t.not(attempts[0]?.queryId, attempts[1]?.queryId, 'each attempt is its own statement')
  t.equal(result.queryId, attempts[1]?.queryId, 'the result names the attempt that completed')
  t.equal(result.totalRows, 3000)
})

t.test('a discarded writer deletes the entries it wrote, and writes no metadata', async (t) => {
  // A cache over a store this test holds, to see what is left in it: the app's store is the cache's own.
  const store = memoryStore(100)
  const cache = new ResultCache(store, pino({ level: 'silent' }), {})
  const key = 'retry-fill-test'
  const writer = cache.writer(key, 2, 60_000, 60_000)
  const queryId = '01234567-89ab-cdef-0123-456789abcdef'
  writer.add(queryId, [1, 2, 3, 4, 5, 6].map((n) => JSON.stringify({ N: n })))
  await writer.discard()
  const entries = [1, 2].map((n) => `${key}:${queryId}:${n}`)
  t.same(await store.getMany(entries), [undefined, undefined], 'the entries are gone')
  t.equal(await store.get(key), undefined, 'no metadata points at them')
})
