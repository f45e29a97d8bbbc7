import { randomUUID } from 'node:crypto'
import t from 'tap'
import { collect, RawClient, useEmulator } from './helper.js'

// A long sync wait: these raw requests read the first answer, which must be the result, not 333333.
const h = useEmulator(t, { inlineRows: 100, chunkRows: 1000, gzipChunks: true, syncWaitMs: 10_000 })
const sql = (n: number): string => `select seq4() as id from table(generator(rowcount => ${n}))`

t.test('a result is split into the inline rowset and absolute chunk URLs', async t => {
  const raw = new RawClient(h.emulator.url)
  await raw.login()
  const res = await raw.query(sql(2600), randomUUID())
  const data = res.data as { rowset: unknown[], returned: number, total: number, chunks: Array<{ url: string, rowCount: number }> }
  t.equal(data.rowset.length, 100)
  t.equal(data.returned, 2600)
  t.equal(data.total, 2600)
  t.same(data.chunks.map(c => c.rowCount), [1000, 1000, 500])
  t.ok(data.chunks.every(c => c.url.startsWith(`${h.emulator.url}/__chunks/`)))

  const plain = await fetch(data.chunks[2]?.url ?? '', { headers: { 'accept-encoding': 'identity' } })
  t.notMatch(plain.headers.get('content-type'), /json/)
  const text = await plain.text()
  t.notOk(text.startsWith('['.repeat(2)), 'no surrounding brackets')
  const rows = JSON.parse(`[${text}]`) as string[][]
  t.equal(rows.length, 500)
  t.same(rows[0], ['2100'])

  const gzipped = await fetch(data.chunks[0]?.url ?? '', { headers: { 'accept-encoding': 'gzip' } })
  t.equal(gzipped.headers.get('content-encoding'), 'gzip')
  t.equal((JSON.parse(`[${await gzipped.text()}]`) as unknown[]).length, 1000)

  t.equal((await fetch(`${h.emulator.url}/__chunks/${randomUUID()}/0`)).status, 404)
})

t.test('the driver reads gzipped chunks', async t => {
  const conn = await h.connect()
  const rows = await collect(conn.execute({ sqlText: sql(5000), streamResult: true }))
  t.equal(rows.length, 5000)
  t.equal(rows.at(-1)?.ID, 4999)
})
