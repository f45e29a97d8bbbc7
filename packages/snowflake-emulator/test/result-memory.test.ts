// Finished results are kept for re-fetches and chunk downloads, within a bound on their text as well as their
// count: many distinct large results (a cache filling) must not grow the emulator until it runs out of memory.
import { randomUUID } from 'node:crypto'
import t from 'tap'
import { RawClient, useEmulator } from './helper.js'

// 10,000 rows of `["xxxxxxxxxx","a"]` plus a comma each: 200,000 characters per result, so three fit and four do not.
const h = useEmulator(t, { maxKeptResultBytes: 700_000, inlineRows: 100, chunkRows: 1000 })
const bigQuery = (tag: string): string => `select repeat('x', 10) as pad, '${tag}' as tag from table(generator(rowcount => 10000))`

async function kept (raw: RawClient, queryId: string): Promise<boolean> {
  return (await raw.get(`/queries/${queryId}/result`)).success
}

t.test('past maxKeptResultBytes the oldest results are released, the newest kept', async t => {
  const raw = new RawClient(h.emulator.url)
  await raw.login()
  const ids: string[] = []
  for (const tag of ['a', 'b', 'c', 'd']) {
    const answer = await raw.query(bigQuery(tag), randomUUID())
    t.equal(answer.success, true, `query ${tag} answered`)
    ids.push(String(answer.data?.queryId))
  }
  t.same(await Promise.all(ids.map(async (id) => await kept(raw, id))), [false, true, true, true], 'a released; b, c, d kept')
})

// 10,000 rows of 100 characters: a million characters, above the bound on its own.
t.test('a single result larger than the bound is still kept until the next one finishes', async t => {
  const raw = new RawClient(h.emulator.url)
  await raw.login()
  const big = await raw.query('select repeat(\'y\', 100) as pad from table(generator(rowcount => 10000))', randomUUID())
  const id = String(big.data?.queryId)
  t.ok(await kept(raw, id), 'its chunks can still be read')
  await raw.query('select 1', randomUUID())
  t.notOk(await kept(raw, id), 'released once another result finished')
})
