// The floor for the cache-hit rows: Fastify routes that answer a stored response body (what the gateway answered
// the same request with at warm-up) with one Redis round trip and nothing else, on the same Redis client library
// the gateway's cache uses (@redis/client, through @keyv/redis's createClient).
import { createHash } from 'node:crypto'
import { createClient } from '@keyv/redis'
import Fastify, { type FastifyReply } from 'fastify'
import { floorKey, FLOOR_RATE_LIMIT, FLOOR_RATE_WINDOW_MS, peakRssMb } from './shared.js'

const url = process.argv[2]
if (url === undefined) throw new Error('usage: floor-server.ts <redis url>')

const redis = createClient({ url })
await redis.connect()
const app = Fastify({ logger: false })

interface Lookup { Body: { variables: { customerId: string } } }

async function send (reply: FastifyReply, body: string | null): Promise<FastifyReply> {
  if (body === null) return await reply.code(404).send()
  return await reply.type('application/json').send(body)
}

app.post<Lookup>('/lookup', async (request, reply) => {
  return await send(reply, await redis.get(floorKey('lookup', request.body.variables.customerId)))
})

app.post<{ Body: { variables: { fromCustomerId: string } } }>('/page', async (request, reply) => {
  return await send(reply, await redis.get(floorKey('page', request.body.variables.fromCustomerId)))
})

app.post<{ Body: { page: { cursor: string } } }>('/cursor', async (request, reply) => {
  return await send(reply, await redis.get(floorKey('cursor', request.body.page.cursor)))
})

// The least a rate-limited hit can do: hash the key, then count it and read the body in one pipelined round trip.
app.post<Lookup>('/limited', async (request, reply) => {
  const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1]
  if (token === undefined) return await reply.code(401).send()
  const counter = floorKey('rate', createHash('sha256').update(token).digest('hex'))
  const [count, , body] = await redis.multi()
    .incr(counter)
    .pExpire(counter, FLOOR_RATE_WINDOW_MS, 'NX')
    .get(floorKey('authed', request.body.variables.customerId))
    .execAsPipelineTyped()
  if (count > FLOOR_RATE_LIMIT) return await reply.code(429).send()
  reply.header('x-ratelimit-limit', FLOOR_RATE_LIMIT).header('x-ratelimit-remaining', FLOOR_RATE_LIMIT - count)
  return await send(reply, body)
})

console.log(await app.listen({ port: 0, host: '127.0.0.1' }))

process.once('SIGTERM', () => {
  console.log(JSON.stringify({ peakRssMb: peakRssMb() }))
  app.close()
    .then(async () => { await redis.close() })
    .then(() => process.exit(0), (err: unknown) => { console.error(err); process.exit(1) })
})
process.once('disconnect', () => process.exit(1))
