// The baseline for the execute latency: one Fastify route that borrows a snowflake-sdk pool connection,
// runs the lookup with its bind and answers the rows as JSON. Nothing else: no schemas, retries or costs.
import Fastify from 'fastify'
import { connectionOptions, loadDriver, LOOKUP_SQL, peakRssMb, POOL_SIZE } from './shared.js'

const url = process.argv[2]
if (url === undefined) throw new Error('usage: bare-server.ts <emulator url>')

const snowflake = await loadDriver()
const pool = snowflake.createPool(connectionOptions(url), { min: POOL_SIZE, max: POOL_SIZE })
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

console.log(await app.listen({ port: 0, host: '127.0.0.1' }))

process.once('SIGTERM', () => {
  console.log(JSON.stringify({ peakRssMb: peakRssMb() }))
  app.close()
    .then(async () => { await pool.drain(); await pool.clear() })
    .then(() => process.exit(0), (err: unknown) => { console.error(err); process.exit(1) })
})
process.once('disconnect', () => process.exit(1))
