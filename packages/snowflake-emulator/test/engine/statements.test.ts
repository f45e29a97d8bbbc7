import t from 'tap'
import { SnowflakeError } from '../../src/engine/contract.js'
import { context, engineFor, run } from './helper.js'

t.test('DDL answers with a status row; DML with counts', async t => {
  const engine = await engineFor(t)
  const c = await run(engine, 'create or replace table items (id number, qty number)')
  t.same(c.columns.map(x => [x.name, x.type]), [['status', 'text']])
  t.same(c.all, [['Table ITEMS successfully created.']])
  t.ok(c.statementTypeId >= 0x6000)
  t.same((await run(engine, 'insert into items values (1, 10), (2, 20), (3, 30)')).all, [['3']])
  const u = await run(engine, 'update items set qty = qty + 1 where id >= 2')
  t.same([u.columns[0]?.name, u.all, u.statementTypeId], ['number of rows updated', [['2']], 0x3200])
  const d = await run(engine, 'delete from items where id = 1')
  t.same([d.columns[0]?.name, d.all, d.statementTypeId], ['number of rows deleted', [['1']], 0x3300])
  const m = await run(engine, 'merge into items t using (select 2 as id, 5 as qty union all select 9, 90) s on t.id = s.id ' +
    'when matched then update set qty = s.qty when not matched then insert (id, qty) values (s.id, s.qty)')
  t.same(m.columns.map(x => x.name), ['number of rows inserted', 'number of rows updated'])
  t.same([m.all, m.statementTypeId], [[['1', '1']], 0x3400])
  t.same((await run(engine, 'select id, qty from items order by id')).all, [['2', '5'], ['3', '31'], ['9', '90']])
  const n = await run(engine, 'select count(*) from items')
  t.same([n.columns[0]?.name, n.all], ['COUNT(*)', [['3']]])
  t.same((await run(engine, 'create view v as select id from items')).all, [['View V successfully created.']])
  t.same((await run(engine, 'drop table items')).all, [['ITEMS successfully dropped.']])
})

t.test('databases and schemas: creation, current database and schema, missing ones', async t => {
  const engine = await engineFor(t)
  t.same((await run(engine, 'create database other')).all, [['Database OTHER successfully created.']])
  await run(engine, 'create schema other.sales')
  await run(engine, 'create table other.sales.deals (n int)')
  await run(engine, 'insert into other.sales.deals values (5)')
  t.same((await run(engine, 'select n from deals', null, { database: 'other', schema: 'sales' })).all, [['5']])
  t.same((await run(engine, 'select current_database(), current_schema()', null, { database: 'OTHER', schema: 'SALES' })).all, [['OTHER', 'SALES']])
  await t.rejects(run(engine, 'select n from deals', null, { database: 'NOPE', schema: 'PUBLIC' }), { code: '002003' })
  await t.rejects(run(engine, 'select n from deals'), { code: '002003' })
  await run(engine, 'create or replace database other')
  await t.rejects(run(engine, 'select n from other.sales.deals'), { code: '002003' })
  await t.rejects(run(engine, 'create database other'), { code: '002002' })
})

t.test('a quoted database name keeps its case and its doubled quotes become one', async t => {
  const engine = await engineFor(t)
  t.same((await run(engine, 'create database "a""b"')).all, [['Database a"b successfully created.']])
  await run(engine, 'create table "a""b".public.t (n int)')
  await run(engine, 'insert into "a""b".public.t values (7)')
  t.same((await run(engine, 'select n from t', null, { database: 'a"b', schema: 'PUBLIC' })).all, [['7']])
  await run(engine, 'use database "a""b"')
  t.same((await run(engine, 'drop database "a""b"')).all, [['a"b successfully dropped.']])
  await t.rejects(run(engine, 'use database "a""b"'), { code: '002043' })
})

t.test('errors carry Snowflake codes, states and wording', async t => {
  const engine = await engineFor(t)
  await run(engine, 'create table e (a int, s varchar)')
  await t.rejects(run(engine, 'select * from no_such_table'), {
    code: '002003', sqlState: '42S02', message: "SQL compilation error:\nObject 'NO_SUCH_TABLE' does not exist or not authorized."
  })
  await t.rejects(run(engine, 'select nope from e'), { code: '000904', sqlState: '42000', message: /invalid identifier 'NOPE'/ })
  // The parser reports the token as written, where it stands, as Snowflake does.
  await t.rejects(run(engine, 'select from from e'), { code: '001003', sqlState: '42000', message: "SQL compilation error:\nsyntax error line 1 at position 7 unexpected 'from'." })
  await t.rejects(run(engine, "select 'abc'::number"), { code: '100038', sqlState: '22018', message: "Numeric value 'abc' is not recognized" })
  await t.rejects(run(engine, "select 'x'::date"), { code: '100040' })
  await t.rejects(run(engine, 'select 1; select 2'), { code: '000008' })
  await t.rejects(run(engine, 'select no_such_function(1)'), { code: '002140' })
  await t.rejects(run(engine, 'insert into e values (1, 2, 3)'), SnowflakeError)
  // the engine still works after all of that
  t.same((await run(engine, 'select count(*) from e')).all, [['0']])
})

t.test('abort interrupts DuckDB and rejects with the signal reason', async t => {
  const engine = await engineFor(t)
  const ac = new AbortController()
  const reason = new SnowflakeError('000604', '57014', 'SQL execution canceled')
  const started = Date.now()
  const pending = engine.execute('select count(*) from range(1000000000000) a(i) where i % 7 = 3', null, context({ signal: ac.signal }))
  setTimeout(() => ac.abort(reason), 200)
  await t.rejects(pending, reason)
  t.ok(Date.now() - started < 5000, 'stopped promptly')
  const already = new AbortController()
  already.abort(new Error('gone'))
  await t.rejects(engine.execute('select 1', null, context({ signal: already.signal })), { message: 'gone' })
  t.same((await run(engine, 'select 2 as x')).all, [['2']])
})

t.test('concurrent statements do not block each other', async t => {
  const engine = await engineFor(t)
  const ac = new AbortController()
  const slow = engine.execute('select count(*) from range(1000000000000) a(i) where i % 7 = 3', null, context({ signal: ac.signal }))
  // Were the second statement to wait behind the first, this fails after 10 s instead of hanging the suite.
  const unblock = setTimeout(() => ac.abort(new Error('stop')), 10_000)
  const started = Date.now()
  t.same((await run(engine, 'select 1 as x')).all, [['1']])
  t.ok(Date.now() - started < 3000, `answered in ${Date.now() - started} ms beside a running statement`)
  clearTimeout(unblock)
  ac.abort(new Error('stop'))
  await t.rejects(slow, { message: 'stop' })
})
