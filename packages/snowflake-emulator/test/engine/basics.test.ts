import t from 'tap'
import { SnowflakeError } from '../../src/engine/contract.js'
import { engineFor, run } from './helper.js'

t.test('SELECT without FROM needs no warehouse and encodes basic types', async t => {
  const engine = await engineFor(t)
  const r = await run(engine, "select 1 as a, 2.50::number(10,2) b, 1.5::double c, true d, 'x' f, date '1969-12-31' g, " +
    "timestamp '2024-01-02 03:04:05.123456' h", null, { warehouse: null })
  t.same(r.columns.map(c => [c.name, c.type, c.precision, c.scale]), [
    ['A', 'fixed', 38, 0], ['B', 'fixed', 10, 2], ['C', 'real', null, null], ['D', 'boolean', null, null],
    ['F', 'text', null, null], ['G', 'date', null, null], ['H', 'timestamp_ntz', 0, 9]
  ])
  t.same(r.all, [['1', '2.50', '1.5', '1', 'x', '-1', '1704164645.123456000']])
  t.equal(r.statementTypeId, 0x1000)
  t.equal(r.columns[4]?.length, 16777216)
})

t.test('a table read without a warehouse fails with 000606', async t => {
  const engine = await engineFor(t)
  await run(engine, 'create table t (a int)')
  await t.rejects(run(engine, 'select * from t', null, { warehouse: null }), { code: '000606', sqlState: '57P03' })
  await t.rejects(run(engine, 'select * from t', null, { warehouse: '' }), SnowflakeError)
})
