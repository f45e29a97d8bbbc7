import t, { type Test } from 'tap'
import type { Engine } from '../../src/engine/contract.js'
import { createEngine } from '../../src/engine/index.js'
import { run } from './helper.js'

const demo = { database: 'ANALYTICS_DB', schema: 'PUBLIC' }

async function demoEngine (t: Test, bigTableRows: number): Promise<{ engine: Engine, ms: number }> {
  const started = Date.now()
  const engine = await createEngine({ demoData: true, bigTableRows })
  const ms = Date.now() - started
  t.teardown(() => engine.close())
  return { engine, ms }
}

t.test('demo data has the documented shape and is the same on every start', async t => {
  const { engine: a, ms } = await demoEngine(t, 2000000)
  t.ok(ms < 10000, `built in ${ms} ms`)
  const { engine: b } = await demoEngine(t, 2000000)
  const shape = await run(a, 'select * from customer_segments limit 1', null, demo)
  t.same(shape.columns.map(c => [c.name, c.type, c.precision, c.scale, c.table]), [
    ['CUSTOMER_ID', 'text', null, null, 'CUSTOMER_SEGMENTS'], ['SEGMENT', 'text', null, null, 'CUSTOMER_SEGMENTS'],
    ['LIFETIME_VALUE', 'fixed', 12, 2, 'CUSTOMER_SEGMENTS'], ['REGION', 'text', null, null, 'CUSTOMER_SEGMENTS'],
    ['UPDATED_AT', 'timestamp_ntz', 0, 9, 'CUSTOMER_SEGMENTS']
  ])
  const summary = 'select count(*), count(distinct customer_id), min(customer_id), max(customer_id), ' +
    'list(distinct segment order by segment), list(distinct region order by region), sum(lifetime_value) from customer_segments'
  const sa = await run(a, summary, null, demo)
  const sb = await run(b, summary, null, demo)
  t.same(sa.all, sb.all)
  t.same(sa.all[0]?.slice(0, 6), ['100000', '100000', 'C000001', 'C100000', '["BRONZE","GOLD","PLATINUM","SILVER"]', '["AMER","APAC","EMEA","LATAM"]'])
  const events = 'select count(*), min(event_ts), max(event_ts), sum(duration_seconds), count(distinct channel) from interaction_events'
  const ea = await run(a, events, null, demo)
  t.same(ea.all, (await run(b, events, null, demo)).all)
  t.equal(ea.all[0]?.[0], '2000000')
  const sample = await run(a, 'select * from interaction_events where event_id in (1, 777777) order by event_id', null, demo)
  t.same(sample.all, (await run(b, 'select * from interaction_events where event_id in (1, 777777) order by event_id', null, demo)).all)
  t.same(sample.columns.map(c => c.type), ['fixed', 'text', 'text', 'fixed', 'timestamp_ntz'])
})

t.test('a 1,000,000-row, 5-column SELECT executes and encodes in a few seconds', async t => {
  const { engine } = await demoEngine(t, 1000000)
  const started = Date.now()
  const r = await engine.execute('select event_id, customer_id, channel, duration_seconds, event_ts from interaction_events',
    null, { queryId: 'big', sessionId: 1, ...demo, warehouse: 'WH', role: null, signal: new AbortController().signal })
  const executed = Date.now() - started
  let chars = 0
  let rows = 0
  for (let i = 0; i < r.rowCount; i += 50000) {
    const text = r.chunkText(i, i + 50000)
    chars += text.length
    rows += text.split('],[').length
  }
  const total = Date.now() - started
  t.comment(`execute ${executed} ms, execute + encode all chunks ${total} ms, ${chars} chars`)
  t.equal(r.rowCount, 1000000)
  t.equal(rows, 1000000)
  t.ok(total < 15000, `took ${total} ms`)
  t.same(r.rows(999999, 1000000)[0]?.[0], '1000000')
  t.ok(r.bytesScanned > 0)
  r.release()
})
