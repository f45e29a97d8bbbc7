import t from 'tap'
import { engineFor, run } from './helper.js'

t.test('binds of each driver type arrive as values', async t => {
  const engine = await engineFor(t)
  await run(engine, 'create table b (n number(38,0), r float, s varchar, f boolean, d date, tm time, ts timestamp_ntz, ' +
    'tl timestamp_ltz, tz timestamp_tz, bin binary, v variant)')
  const ins = await run(engine, 'insert into b values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, parse_json(?))', {
    1: { type: 'FIXED', value: '9223372036854775807' },
    2: { type: 'REAL', value: '1.5' },
    3: { type: 'TEXT', value: 'héllo' },
    4: { type: 'BOOLEAN', value: 'true' },
    5: { type: 'TEXT', value: '1969-07-20' },
    6: { type: 'TEXT', value: '01:02:03.5' },
    7: { type: 'TEXT', value: '2024-05-06T07:08:09.123Z' },
    8: { type: 'TEXT', value: '2024-05-06T07:08:09.123Z' },
    9: { type: 'TEXT', value: '2024-05-06 09:08:09.123 +02:00' },
    10: { type: 'BINARY', value: '48690A' },
    11: { type: 'VARIANT', value: '{"k":[1,2]}' }
  })
  t.same(ins.all, [['1']])
  const r = await run(engine, 'select * from b')
  t.same(r.all, [['9223372036854775807', '1.5', 'héllo', '1', '-165', '3723.500000000', '1714979289.123000000',
    '1714979289.123000000', '1714979289.123000000 1560', '48690A', '{"k":[1,2]}']])
})

t.test('a bound value is data, never SQL', async t => {
  const engine = await engineFor(t)
  await run(engine, 'create table u (name varchar)')
  await run(engine, "insert into u values ('alice'), ('bob')")
  const evil = "x' OR 1=1 --"
  const r = await run(engine, 'select count(*) as n from u where name = ?', { 1: { type: 'TEXT', value: evil } })
  t.same(r.all, [['0']])
  const echo = await run(engine, 'select :1 as v', { 1: { type: 'TEXT', value: evil } })
  t.same(echo.all, [[evil]])
})

t.test('TEXT binds meet date columns and casts; FIXED in exponent form; nulls', async t => {
  const engine = await engineFor(t)
  await run(engine, 'create table d (d date, n number)')
  await run(engine, "insert into d values ('2024-01-02', 1), ('2024-01-03', 2)")
  const r = await run(engine, 'select n from d where d = ?', { 1: { type: 'TEXT', value: '2024-01-03' } })
  t.same(r.all, [['2']])
  const c = await run(engine, 'select ?::date as x, ? as big, ? as nul', {
    1: { type: 'TEXT', value: '2024-01-03' }, 2: { type: 'FIXED', value: '1e+21' }, 3: { type: 'TEXT', value: null }
  })
  t.same(c.all, [['19725', '1e+21', null]])
  t.equal(c.columns[1]?.type, 'real')
})

t.test('numbered binds, and :1 inside literals, quoted names and comments stays text', async t => {
  const engine = await engineFor(t)
  const r = await run(engine, "select :2 as a, :1 as b, ':1' as \"c:1\", 1::varchar as d /* :1 */ -- :2", {
    1: { type: 'TEXT', value: 'one' }, 2: { type: 'TEXT', value: 'two' }
  })
  t.same(r.all, [['two', 'one', ':1', '1']])
  t.same(r.columns.map(c => c.name), ['A', 'B', 'c:1', 'D'])
})

t.test('array binding inserts every row and reports the total', async t => {
  const engine = await engineFor(t)
  await run(engine, 'create table a (id number, name varchar)')
  const ins = await run(engine, 'insert into a values (?, ?)', {
    1: { type: 'FIXED', value: ['1', '2', '3'] }, 2: { type: 'TEXT', value: ['x', null, 'z'] }
  })
  t.same(ins.columns.map(c => c.name), ['number of rows inserted'])
  t.same(ins.all, [['3']])
  t.equal(ins.statementTypeId, 0x3100)
  const r = await run(engine, 'select id, name from a order by id')
  t.same(r.all, [['1', 'x'], ['2', null], ['3', 'z']])
})

t.test('too few binds is a compilation error', async t => {
  const engine = await engineFor(t)
  await t.rejects(run(engine, 'select ?, ?', { 1: { type: 'TEXT', value: 'a' } }), { code: '002049' })
  await t.rejects(run(engine, 'select ?'), { code: '002049' })
})
