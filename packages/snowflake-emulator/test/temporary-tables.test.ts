// A temporary table lives as long as the session that created it.
// https://docs.snowflake.com/en/user-guide/tables-temp-transient#temporary-tables
import t from 'tap'
import { setTimeout as sleep } from 'node:timers/promises'
import { destroy, exec, execError, useEmulator } from './helper.js'

const h = useEmulator(t)

t.test('a temporary table is there for its session and gone after the session logs out', async t => {
  const setup = await h.connect()
  await exec(setup, 'create database if not exists DEMO')
  const owner = await h.connect()
  await exec(owner, 'create temporary table session_scratch (n int)')
  await exec(owner, 'insert into session_scratch values (1), (2)')
  t.same((await exec(owner, 'select count(*) as c from session_scratch')).rows, [{ C: 2 }])
  await destroy(owner)
  const later = await h.connect()
  t.equal((await execError(later, 'select * from session_scratch')).code, '002003')
})

t.test('an ordinary table stays after its session ends', async t => {
  const owner = await h.connect()
  await exec(owner, 'create database if not exists DEMO')
  await exec(owner, 'create table kept (n int)')
  await destroy(owner)
  const later = await h.connect()
  t.same((await exec(later, 'select count(*) as c from kept')).rows, [{ C: 0 }])
})

t.test('a temporary table is visible only to its own session', async t => {
  const owner = await h.connect()
  await exec(owner, 'create database if not exists DEMO')
  await exec(owner, 'create temporary table mine (n int)')
  await exec(owner, 'insert into mine values (1)')
  const other = await h.connect()
  t.equal((await execError(other, 'select * from mine')).code, '002003', 'another session does not see it')
  t.equal((await execError(other, 'insert into mine values (2)')).code, '002003')
  t.same((await exec(owner, 'select count(*) as c from mine')).rows, [{ C: 1 }], 'its own session does')
  t.match((await exec(owner, 'describe table mine')).rows, [{ name: 'N' }], 'and describes it')
  t.equal((await execError(other, 'describe table mine')).code, '002003')
  t.notOk((await exec(other, "show tables like 'MINE'")).rows.length > 0, 'nor is it listed to another session')
  // Another session may create its own temporary table of the same name.
  await exec(other, 'create temp table mine as select 7 as n')
  t.same((await exec(other, 'select n from mine')).rows, [{ N: 7 }])
  t.same((await exec(owner, 'select n from mine')).rows, [{ N: 1 }])
})

t.test('a temporary table shadows a permanent table of the same name in its session only', async t => {
  const owner = await h.connect()
  await exec(owner, 'create database if not exists DEMO')
  await exec(owner, 'create or replace table shadowed (n int)')
  await exec(owner, 'insert into shadowed values (1)')
  await exec(owner, 'create temporary table shadowed (n int)')
  await exec(owner, 'insert into shadowed values (2), (3)')
  t.same((await exec(owner, 'select count(*) as c from shadowed')).rows, [{ C: 2 }], 'the session reads its temporary table')
  const other = await h.connect()
  t.same((await exec(other, 'select count(*) as c from shadowed')).rows, [{ C: 1 }], 'others read the permanent one')
  await exec(owner, 'drop table shadowed')
  t.same((await exec(owner, 'select count(*) as c from shadowed')).rows, [{ C: 1 }], 'dropping it uncovers the permanent one')
})

t.test('a temporary table goes when its session expires, without a logout', async t => {
  const owner = await h.connect()
  await exec(owner, 'create database if not exists DEMO')
  await exec(owner, 'create temporary table expiring (n int)')
  const [row] = (await exec(owner, 'select current_session() as s')).rows
  const sessionId = Number(row?.S)
  const engine = h.emulator.engine
  const ctx = () => ({ queryId: `q-${Math.random()}`, sessionId, database: 'DEMO', schema: 'PUBLIC', warehouse: 'W', role: 'R', signal: new AbortController().signal })
  t.equal((await engine.execute('select count(*) from expiring', null, ctx())).rowCount, 1, 'there while the session lives')
  t.equal(h.emulator.controls.expireSessions({ sessionId, master: true }), 1)
  // The drop runs in the background of the expiry.
  for (let i = 0; i < 50; i++) {
    const gone = await engine.execute('select count(*) from expiring', null, ctx()).then(() => false, () => true)
    if (gone) break
    await sleep(20)
  }
  await t.rejects(engine.execute('select count(*) from expiring', null, ctx()), { code: '002003' }, 'gone once the session cannot be renewed')
})
