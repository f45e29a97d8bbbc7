import t from 'tap'
import { emulator, gateway } from '../helper.js'

// An emulator that keeps only a few finished results, so a persisted result can be made to disappear.
const warehouse = await emulator(t, { maxKeptResults: 2 })
const gw = await gateway(t, warehouse)

interface Answer { error?: string, queryId: string, rows: Array<{ CUSTOMER_ID: string }>, page: { nextCursor: string } }

async function execute (body: unknown): Promise<{ status: number, cache: string | null, answer: Answer }> {
  const res = await gw.post('/v1/actions/cached-customers/execute', body)
  return { status: res.status, cache: res.headers.get('x-cache'), answer: await res.json() as Answer }
}

t.test('when both the cache entry and the persisted result are gone, the cursor re-runs the SQL with the same variables', async (t) => {
  const variables = { lastId: 'C000040' }
  const first = await execute({ variables })
  const cursor = first.answer.page.nextCursor
  await gw.service.app.inject({ method: 'DELETE', url: '/v1/actions/cached-customers/cache' })
  for (const lastId of ['C000001', 'C000002', 'C000003']) await execute({ variables: { lastId } })

  const without = await execute({ page: { cursor } })
  t.equal(without.status, 410)
  t.equal(without.answer.error, 'RESULT_EXPIRED')

  const other = await execute({ variables: { lastId: 'C000041' }, page: { cursor } })
  t.equal(other.status, 400, 'variables of another result contradict the cursor')
  t.equal(other.answer.error, 'CURSOR_VARIABLES_MISMATCH')

  const rerun = await execute({ variables, page: { cursor } })
  t.equal(rerun.status, 200)
  t.not(rerun.answer.queryId, first.answer.queryId, 'a new statement answered')
  t.same(rerun.answer.rows.map((r) => r.CUSTOMER_ID), ['C000011', 'C000012', 'C000013', 'C000014', 'C000015', 'C000016', 'C000017', 'C000018', 'C000019', 'C000020'])
})
