// The baseline for the warehouse rows: Fastify routes over a bare snowflake-sdk pool that run the gateway's
// statement with its bind and answer the rows as JSON. Nothing else: no schemas, retries, cache or costs.
import Fastify from 'fastify'
import type { Connection } from 'snowflake-sdk'
import { connectionOptions, loadDriver, LOOKUP_SQL, MISS_SQL, peakRssMb, POOL_SIZE } from './shared.js'

const url = process.argv[2]
if (url === undefined) throw new Error('usage: bare-server.ts <emulator url>')

const snowflake = await loadDriver()
// Its own user, so the emulator's query log tells its statements from the gateway's.
const pool = snowflake.createPool(connectionOptions(url, 'bare'), { min: POOL_SIZE, max: POOL_SIZE })
const app = Fastify({ logger: false })

app.post<{ Body: { customerId: string } }>('/lookup', async (request) => {
  return await pool.use(async (connection) => await new Promise((resolve, reject) => {
    connection.execute({
      sqlText: LOOKUP_SQL,
      binds: [request.body.customerId],
      complete: (err, _statement, rows) => { if (err) reject(err); else resolve({ rows }) }
    })
  }))
})

/** Rows [0, count) of the statement, streamed, so the driver fetches no more of the result than those. */
async function firstRows (connection: Connection, sqlText: string, binds: Array<string | number>, count: number): Promise<unknown[]> {
  return await new Promise((resolve, reject) => {
    connection.execute({
      sqlText,
      binds,
      streamResult: true,
      complete: (err, statement) => {
        if (err) return reject(err)
        const rows: unknown[] = []
        statement.streamRows({ start: 0, end: Math.min(count, statement.getNumRows()) - 1 })
          .on('data', (row: unknown) => rows.push(row))
          .on('end', () => resolve(rows))
          .on('error', reject)
      }
    })
  })
}

// Time to first page on a miss: the first 25 rows of the statement the miss rows' actions run.
app.post<{ Body: { variables: { minLifetimeValue: number } } }>('/first-rows', async (request) => {
  const rows = await pool.use(async (connection) => await firstRows(connection, MISS_SQL, [request.body.variables.minLifetimeValue], 25))
  return { rows }
})

console.log(await app.listen({ port: 0, host: '127.0.0.1' }))

process.once('SIGTERM', () => {
  console.log(JSON.stringify({ peakRssMb: peakRssMb() }))
  app.close()
    .then(async () => { await pool.drain(); await pool.clear() })
    .then(() => process.exit(0), (err: unknown) => { console.error(err); process.exit(1) })
})
process.once('disconnect', () => process.exit(1))
