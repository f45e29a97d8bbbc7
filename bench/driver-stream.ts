// The baseline for the NDJSON stream: the same statement read with snowflake-sdk streamRows() straight from
// the emulator, with the gateway's own statement options (array rows, numbers as strings), and no gateway.
import { connectionOptions, EXPORT_SQL, loadDriver, peakRssMb, STREAM_ROWS } from './shared.js'

const url = process.argv[2]
if (url === undefined) throw new Error('usage: driver-stream.ts <emulator url>')

const snowflake = await loadDriver()
const connection = snowflake.createConnection(connectionOptions(url))
await new Promise<void>((resolve, reject) => connection.connect((err) => { if (err) reject(err); else resolve() }))

const started = performance.now()
let rows = 0
await new Promise<void>((resolve, reject) => {
  connection.execute({
    sqlText: EXPORT_SQL,
    binds: [1],
    streamResult: true,
    rowMode: 'array',
    fetchAsString: ['Number'],
    complete: (err, stmt) => {
      if (err) { reject(err); return }
      stmt.streamRows({ start: 0, end: Math.min(STREAM_ROWS, stmt.getNumRows()) - 1 })
        .on('data', () => { rows++ })
        .on('end', () => resolve())
        .on('error', reject)
    }
  })
})
const ms = performance.now() - started
console.log(JSON.stringify({ rows, ms: Math.round(ms), rowsPerSecond: Math.round(rows / (ms / 1000)), peakRssMb: peakRssMb() }))
await new Promise<void>((resolve) => connection.destroy(() => resolve()))
