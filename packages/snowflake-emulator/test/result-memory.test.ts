// Finished results are kept for re-fetches and chunk downloads, within a bound on their text as well as their
// count: many distinct large results (a cache filling) must not grow the emulator until it runs out of memory,
// and a result still being downloaded must not vanish under its reader.
import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { RawClient, useEmulator } from './helper.js'

// 10,000 rows of `["xxxxxxxxxx","a"]` plus a comma each: 200,000 characters per result, so three fit and four do not.
// Sleeps past resultInUseMs end a result's use; reads well within it keep one in use, however slow the machine.
const inUseMs = 1000
const h = useEmulator(t, { maxKeptResultBytes: 700_000, resultInUseMs: inUseMs, inlineRows: 100, chunkRows: 1000 })
const bigQuery = (tag: string): string => `select repeat('x', 10) as pad, '${tag}' as tag from table(generator(rowcount => 10000))`

async function kept (raw: RawClient, queryId: string): Promise<boolean> {
  return (await raw.get(`/queries/${queryId}/result`)).success
}

async function run (raw: RawClient, sqlText: string): Promise<string> {
  const answer = await raw.query(sqlText, randomUUID())
  if (!answer.success) throw new Error(`query failed: ${String(answer.message)}`)
  return String(answer.data?.queryId)
}

t.test('past maxKeptResultBytes the oldest results not in use are released, the newest kept', async t => {
  const raw = new RawClient(h.emulator.url)
  await raw.login()
  const ids: string[] = []
  for (const tag of ['a', 'b', 'c', 'd']) {
    ids.push(await run(raw, bigQuery(tag)))
    await sleep(inUseMs + 100)
  }
  await run(raw, 'select 1')
  t.same(await Promise.all(ids.map(async (id) => await kept(raw, id))), [false, true, true, true], 'a released; b, c, d kept')
})

// 10,000 rows of 100 characters: a million characters, above the bound on its own.
t.test('a result above the bound stays while it is read, and goes once it has not been for resultInUseMs', async t => {
  const raw = new RawClient(h.emulator.url)
  await raw.login()
  const id = await run(raw, 'select repeat(\'y\', 100) as pad from table(generator(rowcount => 10000))')
  for (let n = 0; n < 4; n++) {
    await sleep(150)
    t.ok(await kept(raw, id), `read ${n + 1}: still there`)
    await run(raw, `select ${n}`)
  }
  await sleep(inUseMs + 100)
  await run(raw, 'select 5')
  t.notOk(await kept(raw, id), 'released once no longer read')
})
