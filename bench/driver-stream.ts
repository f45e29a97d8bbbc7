// The baseline for the NDJSON stream: the same statement read with snowflake-sdk streamRows() straight from the
// emulator with the driver's default options (object rows, its own type conversions), and no gateway.
import { connectionOptions, EXPORT_SQL, loadDriver, peakRssMb } from './shared.js'

const [url, from] = process.argv.slice(2)
if (url === undefined || from === undefined) throw new Error('usage: driver-stream.ts <emulator url> <first event id>')

const snowflake = await loadDriver()
const connection = snowflake.createConnection(connectionOptions(url, 'driver-stream'))
await new Promise<void>((resolve, reject) => connection.connect((err) => { if (err) reject(err); else resolve() }))

const started = performance.now()
let rows = 0
await new Promise<void>((resolve, reject) => {
  connection.execute({
    sqlText: EXPORT_SQL,
    binds: [Number(from)],
    streamResult: true,
    complete: (err, stmt) => {
      if (err) { reject(err); return }
      stmt.streamRows()
        .on('data', () => { rows++ })
        .on('end', () => resolve())
        .on('error', reject)
    }
  })
})
const ms = performance.now() - started
console.log(JSON.stringify({ rows, ms: Math.round(ms), rowsPerSecond: Math.round(rows / (ms / 1000)), peakRssMb: peakRssMb() }))
await new Promise<void>((resolve) => connection.destroy(() => resolve()))
