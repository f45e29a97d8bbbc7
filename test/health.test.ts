import t from 'tap'
import Fastify from 'fastify'

t.test('placeholder', async (t) => {
  const app = Fastify()
  app.get('/health/live', async () => ({ status: 'ok' }))
  const res = await app.inject('/health/live')
  t.equal(res.statusCode, 200)
})
