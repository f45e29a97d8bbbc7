import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import t from 'tap'
import { connectWith, destroy, spawnEmulator, type Row } from './helper.js'

const ROWS = 1_000_000

// A gc() to sample live heap rather than heap plus uncollected garbage.
setFlagsFromString('--expose_gc')
const gc = runInNewContext('gc') as () => void

t.test('1,000,000 rows stream through many chunks with bounded client memory', async t => {
  // In a child process, so heapUsed here is the driver's alone.
  const emulator = await spawnEmulator(['--no-demo', '--chunk-rows', '20000', '--inline-rows', '1000'])
  t.teardown(() => emulator.close())
  const conn = await connectWith({
    accessUrl: emulator.url, account: 'TESTACCT', username: 'alice', password: 'secret', warehouse: 'WH', sfRetryMaxLoginRetries: 0
  })
  t.teardown(() => destroy(conn))

  gc()
  const baseline = process.memoryUsage().heapUsed
  let peak = baseline
  let count = 0
  let sum = 0
  let expected = 0
  let inOrder = true
  await new Promise<void>((resolve, reject) => {
    const stmt = conn.execute({
      sqlText: `select seq4() as id, 'row-' || seq4() as name from table(generator(rowcount => ${ROWS}))`,
      streamResult: true
    })
    stmt.streamRows()
      .on('data', (row: Row) => {
        const id = Number(row.ID)
        if (id !== expected++) inOrder = false
        sum += id
        count++
        if (count % 50_000 === 0) {
          gc()
          peak = Math.max(peak, process.memoryUsage().heapUsed)
        }
      })
      .on('end', () => resolve())
      .on('error', reject)
  })
  t.equal(count, ROWS, 'every row arrived')
  t.equal(sum, (ROWS * (ROWS - 1)) / 2, 'each id once')
  t.ok(inOrder, 'in order')
  const growthMb = (peak - baseline) / 1024 / 1024
  // Holding 1M row objects would take well over 100 MB of live heap; a bounded stream holds a few chunks.
  t.ok(growthMb < 40, `live heap growth while streaming: ${growthMb.toFixed(1)} MB`)
})
