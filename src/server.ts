import Fastify from 'fastify'

const app = Fastify({ logger: true })
app.get('/health/live', async () => ({ status: 'ok' }))
await app.listen({ port: Number(process.env.PORT ?? 8080), host: '127.0.0.1' })
