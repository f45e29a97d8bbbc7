import t from 'tap'
import { engineFor, run } from './helper.js'

t.test('integers beyond 2^53 stay exact', async t => {
  const engine = await engineFor(t)
  const r = await run(engine, 'select 9223372036854775807 as a, 18446744073709551617 as b, ' +
    '-170141183460469231731687303715884105727 as c, 12345678901234567890123456789012345678::number(38,0) as d', null, { warehouse: null })
  t.same(r.all, [['9223372036854775807', '18446744073709551617', '-170141183460469231731687303715884105727',
    '12345678901234567890123456789012345678']])
  t.ok(r.columns.every(c => c.type === 'fixed' && c.scale === 0))
})

t.test('decimals keep precision and scale', async t => {
  const engine = await engineFor(t)
  await run(engine, 'create table m (v number(12,2), w decimal(38,10))')
  await run(engine, "insert into m values (1234567890.12, '0.0000000001'), (-0.5, null)")
  const r = await run(engine, 'select * from m')
  t.same(r.columns.map(c => [c.type, c.precision, c.scale]), [['fixed', 12, 2], ['fixed', 38, 10]])
  t.same(r.all, [['1234567890.12', '0.0000000001'], ['-0.50', null]])
})

t.test('reals include NaN and infinities in forms Number() reads', async t => {
  const engine = await engineFor(t)
  const r = await run(engine, "select 'nan'::double a, 'inf'::double b, '-inf'::double c, 1e300::double d, 0.1::float e")
  t.same(r.all, [['NaN', 'Infinity', '-Infinity', '1e+300', '0.1']])
  t.ok(Number.isNaN(Number(r.all[0]?.[0])))
  t.equal(Number(r.all[0]?.[1]), Infinity)
})

t.test('dates, times and timestamps before and after 1970', async t => {
  const engine = await engineFor(t)
  const r = await run(engine, "select '1900-03-01'::date a, '1970-01-01'::date b, '23:59:59.999999'::time c, " +
    "'1969-12-31 23:59:59.5'::timestamp_ntz d, '1900-01-01 00:00:00'::timestamp e, '2024-01-02 03:04:05.123456'::timestamp_ltz f")
  t.same(r.columns.map(c => c.type), ['date', 'date', 'time', 'timestamp_ntz', 'timestamp_ntz', 'timestamp_ltz'])
  t.same(r.all, [['-25508', '0', '86399.999999000', '-0.500000000', '-2208988800.000000000', '1704164645.123456000']])
})

t.test('timestamp_tz keeps each value\'s offset', async t => {
  const engine = await engineFor(t)
  await run(engine, 'create table z (ts timestamp_tz)')
  await run(engine, "insert into z values ('2024-01-02 05:04:05.123 +02:00'), ('2024-01-02 03:04:05-0530'), " +
    "('2024-01-02 03:04:05'), ('1969-12-31 23:00:00+01:00')")
  const r = await run(engine, 'select ts from z')
  t.equal(r.columns[0]?.type, 'timestamp_tz')
  t.same(r.all, [['1704164645.123000000 1560'], ['1704184445.000000000 1110'], ['1704164645.000000000 1440'],
    ['-7200.000000000 1500']])
  const c = await run(engine, "select to_timestamp_tz('2024-01-02 03:04:05 +0100') a, '2024-01-02T03:04:05+01:00'::timestamp_tz b, " +
    "cast('2024-01-02 03:04:05+01:00' as timestamp_tz) c")
  t.same(c.all, [['1704161045.000000000 1500', '1704161045.000000000 1500', '1704161045.000000000 1500']])
})

t.test('text, binary, boolean, null and semi-structured values', async t => {
  const engine = await engineFor(t)
  const r = await run(engine, "select 'a\"b\\nc' s, to_binary('CAFE') b, false f, null::boolean n, " +
    "parse_json('{\"x\": [1, 2.5, \"y\"], \"big\": 12345678901234567890}') v, array_construct(1, 'a') arr, " +
    "object_construct('k', 'v') obj, [1, 2] lst, {'a': 1} st")
  t.same(r.columns.map(c => c.type), ['text', 'binary', 'boolean', 'boolean', 'variant', 'array', 'object', 'array', 'object'])
  const row = r.all[0] ?? []
  t.equal(row[0], 'a"b\nc')
  t.equal(row[1], 'CAFE')
  t.equal(row[2], '0')
  t.equal(row[3], null)
  // the big integer must reach the driver as written, so compare the text
  t.equal(row[4], '{"x":[1,2.5,"y"],"big":12345678901234567890}')
  t.same(JSON.parse(row[5] ?? ''), [1, 'a'])
  t.same(JSON.parse(row[6] ?? ''), { k: 'v' })
  t.same(JSON.parse(row[7] ?? ''), [1, 2])
  t.same(JSON.parse(row[8] ?? ''), { a: 1 })
})

t.test('column metadata names the source table; quoted names keep their case', async t => {
  const engine = await engineFor(t)
  await run(engine, 'create table meta (id int, "MixedCase" varchar)')
  const r = await run(engine, 'select id, "MixedCase", id + 1 as next from meta')
  t.same(r.columns.map(c => [c.name, c.database, c.schema, c.table]), [
    ['ID', 'TEST_DB', 'PUBLIC', 'META'], ['MixedCase', 'TEST_DB', 'PUBLIC', 'META'], ['NEXT', '', '', '']
  ])
})

t.test('rows and chunkText read any range, many times', async t => {
  const engine = await engineFor(t)
  const r = await run(engine, 'select seq4() as i, \'r\' || seq4() as s from table(generator(rowcount => 20000))')
  t.equal(r.rowCount, 20000)
  t.same(r.rows(8190, 8194), [['8190', 'r8190'], ['8191', 'r8191'], ['8192', 'r8192'], ['8193', 'r8193']])
  t.equal(r.chunkText(19999, 30000), '["19999","r19999"]')
  t.equal(r.chunkText(5, 5), '')
  const all = JSON.parse('[' + r.chunkText(0, 20000) + ']') as string[][]
  t.equal(all.length, 20000)
  t.same(all[16384], ['16384', 'r16384'])
  t.same(r.rows(0, 2), [['0', 'r0'], ['1', 'r1']])
  r.release()
})
