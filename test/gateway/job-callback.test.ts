import t from 'tap'
import { localCxone } from '../cxone/local-cxone.js'
import { capturedLogger, gatewayEnvFor } from '../cxone/helper.js'
import { emulator, gateway, waitFor, type Gateway } from '../helper.js'

// A finished job signals the contact waiting for it, once, through a local CXone over real HTTP.

const cxone = await localCxone(t)
const warehouse = await emulator(t)
const { logger, lines } = capturedLogger()
const gw = await gateway(t, warehouse, {
  LOG_LEVEL: 'info',
  ...gatewayEnvFor(cxone)
}, logger)

interface JobAnswer { job: { id: string, state: string, callback?: { contactId: string, state: string, attempts?: number, outcome?: string } } }

async function job (via: Gateway, body: unknown): Promise<JobAnswer> {
  const res = await via.post(`/v1/actions/${(body as { action?: string }).action ?? 'async-customers'}/execute`, { ...(body as object), action: undefined })
  t.equal(res.status, 202)
  const { statusUrl } = await res.json() as { statusUrl: string }
  let answer: JobAnswer | undefined
  await waitFor(async () => {
    answer = await (await via.get(statusUrl)).json() as JobAnswer
    return answer.job.callback !== undefined && answer.job.callback.state !== 'pending'
  }, 15_000)
  return answer as JobAnswer
}

t.test('a finished job signals its contact once: job id, state, rows, the first row\'s value', async (t) => {
  const before = cxone.delivered.length
  const answer = await job(gw, { variables: { lastId: 'C000100' }, mode: 'async', callback: { contactId: '4242' } })
  t.match(answer.job.callback, { contactId: '4242', state: 'sent', attempts: 1, outcome: '202' })
  const sent = cxone.delivered.slice(before)
  t.equal(sent.length, 1, 'one signal')
  t.match(sent[0], { contactId: '4242', params: { p1: answer.job.id, p2: 'succeeded', p3: '100', p4: 'C000001', p5: '' } })
})

t.test('a signal that gets 503 twice is delivered once, and the job says how', async (t) => {
  cxone.failSignals(2, 503)
  const before = cxone.delivered.length
  const answer = await job(gw, { variables: { lastId: 'C000101' }, mode: 'async', callback: { contactId: '4243' } })
  t.match(answer.job.callback, { state: 'sent', attempts: 3 })
  t.equal(cxone.delivered.length - before, 1)
})

t.test('a failed job signals its failure and code', async (t) => {
  const before = cxone.delivered.length
  const answer = await job(gw, { action: 'missing-table', mode: 'async', callback: { contactId: '4244' } })
  t.equal(answer.job.state, 'failed')
  t.match(cxone.delivered.slice(before)[0], { params: { p1: answer.job.id, p2: 'failed', p3: '0', p5: 'STATEMENT_FAILED' } })
})

t.test('a contact CXone keeps refusing leaves the result fetchable, the failure recorded', async (t) => {
  cxone.failSignals(1, 404)
  const answer = await job(gw, { variables: { lastId: 'C000102' }, mode: 'async', callback: { contactId: '4245' } })
  t.match(answer.job, { state: 'succeeded', callback: { state: 'failed', outcome: '404' } })
})

t.test('many jobs at once share one token; no secret or token is logged', async (t) => {
  const tokensBefore = cxone.counts.token
  await Promise.all(Array.from({ length: 20 }, async (_, i) =>
    await job(gw, { variables: { lastId: `C0002${String(i).padStart(2, '0')}` }, mode: 'async', callback: { contactId: String(5000 + i) } })))
  t.ok(cxone.counts.token - tokensBefore <= 1, `${cxone.counts.token - tokensBefore} token request(s) for 20 signals`)
  const text = lines.join('\n')
  for (const secret of [cxone.clientSecret, cxone.accessKeySecret, ...cxone.issued]) t.notOk(text.includes(secret), 'a secret or token in the log')
  const metrics = await gw.service.app.metrics.registry.getSingleMetricAsString('gateway_job_signals_total')
  t.match(metrics, /outcome="sent"} \d+/)
})
