import t, { type Test } from 'tap'
import { connectionOptions } from '../../src/warehouse/connection-options.js'
import pino from 'pino'
import { configureDriver, snowflake, type Connection } from '../../src/warehouse/driver.js'
import { openStatement } from '../../src/warehouse/statement.js'
import { emulator } from '../helper.js'

configureDriver(pino({ level: 'silent' }))
const warehouse = await emulator(t)
const options = connectionOptions({ account: 'TESTACCT', user: 'gateway', authenticator: 'SNOWFLAKE', password: 'test', accessUrl: warehouse.url, database: 'ANALYTICS_DB', schema: 'PUBLIC' })
const connection = snowflake.createConnection(options)
await new Promise<void>((resolve, reject) => connection.connect((err) => { if (err) reject(err); else resolve() }))
t.teardown(async () => await new Promise<void>((resolve) => connection.destroy(() => resolve())))

/** Rows as the driver converts them itself: Dates for the temporal types, exact text for numbers. */
async function driverRows (sqlText: string): Promise<{ names: string[], rows: unknown[][] }> {
  return await new Promise((resolve, reject) => {
    (connection as Connection).execute({
      sqlText,
      rowMode: 'array',
      fetchAsString: ['Number'],
      complete: (err, statement, rows) => {
        if (err) reject(err)
        else resolve({ names: (statement.getColumns() ?? []).map((c) => c.getName()), rows: rows as unknown[][] })
      }
    })
  })
}

/** The JSON text the gateway gave before it read wire text: from the driver's own values. */
function reference (type: string, value: unknown): unknown {
  if (value === null) return null
  if (value instanceof Date) {
    if (type === 'D') return value.toISOString().slice(0, 10)
    const zone = (value as Date & { getTimezone?: () => unknown }).getTimezone?.()
    const minutes = type === 'Z' && typeof zone === 'number' ? zone : 0
    if (minutes === 0) return value.toISOString()
    const abs = Math.abs(minutes)
    const hhmm = `${String(Math.trunc(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`
    return new Date(value.getTime() + minutes * 60_000).toISOString().slice(0, -1) + (minutes < 0 ? '-' : '+') + hhmm
  }
  const text = String(value)
  const n = Number(text)
  if (!Number.isFinite(n)) return text
  const digits = text.replace(/^-/, '').replace('.', '').replace(/^0+/, '').length
  return digits <= 15 || Number.isSafeInteger(n) ? n : text
}

async function gatewayLines (sqlText: string): Promise<string[]> {
  const signal = AbortSignal.timeout(10_000)
  const statement = await openStatement(connection, { run: { sqlText, binds: [], queryTag: 'test', timeoutSeconds: 10 } }, signal)
  const lines: string[] = []
  for await (const batch of statement.batches(0, statement.totalRows, 100, signal)) lines.push(...batch.map((row) => JSON.stringify(row)))
  return lines
}

/** Column names say the type family: D date, N/L/Z timestamps, X numbers; anything else is passed through. */
async function sameAsDriver (t: Test, sqlText: string): Promise<void> {
  const { names, rows } = await driverRows(sqlText)
  const expected = rows.map((values) => JSON.stringify(Object.fromEntries(names.map((name, i) =>
    [name, /^[DNLZX]/.test(name) ? reference(name[0] as string, values[i]) : values[i]]))))
  t.ok(expected.length > 0)
  t.strictSame(await gatewayLines(sqlText), expected)
}

const timestamps = ['2024-01-02 03:04:05.123456789', '1969-12-31 23:59:59.999', '1969-12-31 23:59:59.0005', '1960-06-01 12:00:00.001',
  '1900-01-01 00:00:00', '1970-01-01 00:00:00', '2000-02-29 23:59:59.999999999', '9999-12-31 23:59:59.999']
const offsets = ['+00:00', '+05:45', '-03:30', '+14:00', '-12:00', '+01:00']
const dates = ['2024-02-29', '1970-01-01', '1969-12-31', '1900-03-01', '0001-01-01', '9999-12-31']

t.test('every timestamp type renders as the driver\'s own conversion did, to the millisecond, before and after 1970', async (t) => {
  const selects = timestamps.map((ts, i) => `SELECT TO_TIMESTAMP_NTZ('${ts}') AS N, TO_TIMESTAMP_LTZ('${ts}') AS L, ` +
    `TO_TIMESTAMP_TZ('${ts} ${offsets[i % offsets.length] ?? '+00:00'}') AS Z, ${i} AS X`)
  await sameAsDriver(t, `SELECT * FROM (${selects.join(' UNION ALL ')}) ORDER BY X`)
})

t.test('TIMESTAMP_TZ keeps each offset, whole hours or not, east and west', async (t) => {
  const selects = offsets.map((offset, i) => `SELECT TO_TIMESTAMP_TZ('2024-06-30 23:30:00.250 ${offset}') AS Z, ${i} AS X`)
  await sameAsDriver(t, `SELECT * FROM (${selects.join(' UNION ALL ')}) ORDER BY X`)
  t.strictSame(await gatewayLines("SELECT TO_TIMESTAMP_TZ('2024-06-30 23:30:00.250 -03:30') AS Z"), ['{"Z":"2024-06-30T23:30:00.250-03:30"}'])
})

t.test('dates, numbers and NULLs of each', async (t) => {
  const selects = dates.map((d, i) => `SELECT TO_DATE('${d}') AS D, ${i} AS X, ${i}.5 AS X2, 9007199254740993${i} AS X3, -0.000${i}1 AS X4, CAST(${i} AS DOUBLE) / 3 AS X5`)
  await sameAsDriver(t, `SELECT * FROM (${selects.join(' UNION ALL ')}) ORDER BY X`)
  await sameAsDriver(t, "SELECT CAST(NULL AS DATE) AS D, CAST(NULL AS TIMESTAMP_NTZ) AS N, CAST(NULL AS TIMESTAMP_LTZ) AS L, CASE WHEN FALSE THEN TO_TIMESTAMP_TZ('2024-01-01 00:00:00 +01:00') END AS Z, CAST(NULL AS NUMBER) AS X, CAST(NULL AS DOUBLE) AS X2")
})

t.test('text reads its wire text, and the types the driver still converts pass as they did', async (t) => {
  await sameAsDriver(t, "SELECT 'text' AS S, TRUE AS B, PARSE_JSON('{\"a\":[1,2]}') AS V, TO_TIME('12:34:56') AS T, CAST(NULL AS VARCHAR) AS S2")
  t.strictSame(await gatewayLines("SELECT TO_BINARY('CAFE') AS BIN"), ['{"BIN":"yv4="}'], 'binary as base64')
})
