// A temporary table lives as long as the session that created it.
// https://docs.snowflake.com/en/user-guide/tables-temp-transient#temporary-tables
import t from 'tap'
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
