import t from 'tap'
import { emulator, gateway } from '../helper.js'
import { sample } from '../operations/prometheus.js'

// CACHE_MAX_FILLS: a process runs at most that many cache fills at once; a miss past them still gets its page,
// read from one page-size window, and its result is not stored.

const warehouse = await emulator(t)
const gw = await gateway(t, warehouse, { CACHE_MAX_FILLS: '1' })

interface Answer { rows: Array<{ CUSTOMER_ID: string }>, page: { returned: number, hasMore: boolean, nextCursor: string | null } }
const execute = async (lastId: string): Promise<{ cache: string | null, answer: Answer }> => {
  const res = await gw.post('/v1/actions/cached-customers/execute', { variables: { lastId } })
  t.equal(res.status, 200)
  return { cache: res.headers.get('x-cache'), answer: await res.json() as Answer }
}

t.test('a miss while every fill slot is busy is answered whole and honestly, and not stored', async (t) => {
  // The first fill holds the only slot while its statement is slow.
  warehouse.controls.injectFault({ match: /CUSTOMER_ID <= \?/, times: 1, latencyMs: 600 })
  const slow = execute('C002000')
  await new Promise((resolve) => setTimeout(resolve, 200))
  const skipped = await execute('C000300')
  t.equal(skipped.cache, 'MISS')
  t.equal(sample(await (await gw.get('/metrics')).text(), 'gateway_cache_fills_running'), 1, 'the slow fill is running')
  t.equal(skipped.answer.page.returned, 10, 'its first page')
  t.equal(skipped.answer.rows[9]?.CUSTOMER_ID, 'C000010')
  t.ok(skipped.answer.page.hasMore && skipped.answer.page.nextCursor, 'and a cursor to the rest')
  const next = await gw.post('/v1/actions/cached-customers/execute', { page: { cursor: skipped.answer.page.nextCursor } })
  t.equal((await next.json() as Answer).rows[0]?.CUSTOMER_ID, 'C000011', 'which reads on from Snowflake\'s result')
  t.equal((await slow).cache, 'MISS')

  t.equal((await execute('C000300')).cache, 'MISS', 'the skipped result was not stored')
  // The slot is free again: that miss was stored, as was the slow one.
  t.equal((await execute('C000300')).cache, 'HIT')
  t.equal((await execute('C002000')).cache, 'HIT')
  const metrics = await (await gw.get('/metrics')).text()
  t.equal(sample(metrics, 'gateway_cache_fills_skipped_total'), 1, 'the skip is counted')
  t.equal(sample(metrics, 'gateway_cache_fills_running'), 0, 'and no fill is running any more')
})
