import t from 'tap'
import pino from 'pino'
import { connectionOptions } from '../../src/warehouse/connection-options.js'
import { configureDriver, snowflake } from '../../src/warehouse/driver.js'
import { openStatement } from '../../src/warehouse/statement.js'
import { emulator } from '../helper.js'

// Small chunks, so 5,000 rows are ten downloads and a failed one comes after rows were read.
configureDriver(pino({ level: 'silent' }))
const warehouse = await emulator(t, { inlineRows: 500, chunkRows: 500 })
const options = connectionOptions({ account: 'TESTACCT', user: 'gateway', authenticator: 'SNOWFLAKE', password: 'test', accessUrl: warehouse.url, warehouse: 'TEST_WH', database: 'ANALYTICS_DB', schema: 'PUBLIC' })
const connection = snowflake.createConnection(options)
await new Promise<void>((resolve, reject) => connection.connect((err) => { if (err) reject(err); else resolve() }))
t.teardown(async () => await new Promise<void>((resolve) => connection.destroy(() => resolve())))
t.afterEach(() => { warehouse.controls.clearFaults() })

const sqlText = 'SELECT CUSTOMER_ID FROM ANALYTICS_DB.PUBLIC.CUSTOMER_SEGMENTS ORDER BY CUSTOMER_ID LIMIT 5000'
const open = async (signal: AbortSignal): ReturnType<typeof openStatement> =>
  await openStatement(connection, { run: { sqlText, binds: [], queryTag: 'test', timeoutSeconds: 10 } }, signal)

/** Every row id, in batches, or what the read threw; a read that neither ends nor throws fails the test at 10 s. */
async function readAll (batches: AsyncGenerator<Array<Record<string, unknown>>>, afterFirst?: () => void): Promise<{ ids: unknown[], sizes: number[], error?: unknown }> {
  const ids: unknown[] = []
  const sizes: number[] = []
  const read = (async () => {
    for await (const batch of batches) {
      if (sizes.length === 0) afterFirst?.()
      sizes.push(batch.length)
      for (const row of batch) ids.push(row.CUSTOMER_ID)
    }
  })()
  let timer: NodeJS.Timeout | undefined
  const hung = new Promise<never>((_resolve, reject) => { timer = setTimeout(() => reject(new Error('the read neither ended nor failed')), 10_000) })
  try {
    await Promise.race([read, hung])
    return { ids, sizes }
  } catch (error) {
    if (error instanceof Error && error.message === 'the read neither ended nor failed') throw error
    return { ids, sizes, error }
  } finally {
    clearTimeout(timer)
  }
}

t.test('every row of every chunk arrives once, in order, in batches of the asked size', async (t) => {
  const signal = AbortSignal.timeout(10_000)
  const statement = await open(signal)
  t.equal(statement.totalRows, 5000)
  const { ids, sizes, error } = await readAll(statement.batches(0, 5000, 700, signal))
  t.equal(error, undefined)
  t.strictSame(sizes, [700, 700, 700, 700, 700, 700, 700, 100])
  t.equal(ids.length, 5000)
  t.equal(new Set(ids).size, 5000, 'no row twice')
  t.strictSame(ids, [...ids].sort(), 'in order')
})

t.test('a range that starts and ends inside chunks', async (t) => {
  const signal = AbortSignal.timeout(10_000)
  const statement = await open(signal)
  const whole = await readAll(statement.batches(0, 5000, 1000, signal))
  const part = await readAll((await open(signal)).batches(1250, 3333, 1000, signal))
  t.strictSame(part.sizes, [1000, 1000, 83])
  t.strictSame(part.ids, whole.ids.slice(1250, 3333))
})

t.test('a chunk download that fails part-way fails the read, after the rows before it', async (t) => {
  const signal = AbortSignal.timeout(10_000)
  const statement = await open(signal)
  // Not retried by the driver: the row stream reports it as an 'error' event.
  const { ids, error } = await readAll(statement.batches(0, 5000, 100, signal), () => warehouse.controls.failChunks({ times: 1000, httpStatus: 404 }))
  t.ok(error instanceof Error, `the read threw (${String(error)})`)
  t.ok(ids.length >= 100 && ids.length < 5000, `${ids.length} rows before the failure`)
})

t.test('an abort stops the read with the signal\'s reason', async (t) => {
  const controller = new AbortController()
  const statement = await open(controller.signal)
  const reason = new Error('caller left')
  const { ids, error } = await readAll(statement.batches(0, 5000, 100, controller.signal), () => controller.abort(reason))
  t.equal(error, reason)
  t.ok(ids.length < 5000)
})
