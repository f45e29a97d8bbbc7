// The floor for a cache hit: one Fastify route that answers a stored response body with one Redis GET and
// nothing else (no schemas, key hashing, envelope or rendering), on the same Redis client library the
// gateway's keyv adapter uses.
import { createClient } from '@keyv/redis'
import Fastify from 'fastify'
import { FLOOR_PREFIX, peakRssMb } from './shared.js'

const url = process.argv[2]
if (url === undefined) throw new Error('usage: redis-floor-server.ts <redis url>')

const redis = createClient({ url })
await redis.connect()
const app = Fastify({ logger: false })

app.post<{ Body: { variables: { customerId: string } } }>('/lookup', async (request, reply) => {
  const body = await redis.get(FLOOR_PREFIX + request.body.variables.customerId)
  if (body === null) return await reply.code(404).send()
  return await reply.type('application/json').send(body)
})

console.log(await app.listen({ port: 0, host: '127.0.0.1' }))

process.once('SIGTERM', () => {
  console.log(JSON.stringify({ peakRssMb: peakRssMb() }))
  app.close()
    .then(async () => { await redis.close() })
    .then(() => process.exit(0), (err: unknown) => { console.error(err); process.exit(1) })
})
process.once('disconnect', () => process.exit(1))
