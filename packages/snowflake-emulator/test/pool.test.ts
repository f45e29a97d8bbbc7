import t from 'tap'
import { exec, snowflake, useEmulator } from './helper.js'

const h = useEmulator(t)

t.test('a pool logs in lazily, reuses connections, validates with heartbeats and logs out on drain', async t => {
  const before = h.emulator.controls.stats()
  const pool = snowflake.createPool(h.options(), { max: 2, min: 0, testOnBorrow: true })
  const results = await Promise.all(Array.from({ length: 6 }, async (_, i) => await pool.use(async conn => {
    const { rows } = await exec(conn, `select ${i} as n`)
    return rows.length
  })))
  t.same(results, [1, 1, 1, 1, 1, 1])
  const during = h.emulator.controls.stats()
  t.equal(during.logins - before.logins, 2, 'at most `max` logins')
  t.equal(during.sessions - before.sessions, 2)
  await pool.drain()
  await pool.clear()
  t.equal(h.emulator.controls.stats().sessions, before.sessions, 'drain + clear logs every session out')
})
