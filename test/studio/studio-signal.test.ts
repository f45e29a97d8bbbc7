import t from 'tap'
import { gatewayEnvFor } from '../cxone/helper.js'
import { localCxone, type SignalCall } from '../cxone/local-cxone.js'
import { emulator, gateway, waitFor } from '../helper.js'
import { studioBody } from './studio-body.js'

// The asynchronous snippet end to end, as far as it can go without Studio: part 1's body starts a job for the
// contact, the gateway signals it through a local CXone with the SP1…SP5 part 2 reads, and part 2's requests
// (the job, then the next page by cursor) answer the rows.

const cxone = await localCxone(t)
const warehouse = await emulator(t)
const gw = await gateway(t, warehouse, {
  ACTIONS_DIR: 'actions',
  ...gatewayEnvFor(cxone)
})

interface Page { rows: Array<{ CUSTOMER_ID: string, SEGMENT: string }>, page: { hasMore: boolean, nextCursor: string | null, complete: boolean } }

t.test('segment-customers: part 1 starts the job, the signal carries what part 2 reads, part 2 pages through', async (t) => {
  const snippet = await (await gw.get('/v1/actions/segment-customers/studio?async=true')).text()
  const script = { segment: 'GOLD', minLifetimeValue: '10000', CONTACTID: '31337' }

  const started = await gw.post('/v1/actions/segment-customers/execute', studioBody(snippet, 'gwBody', script))
  t.equal(started.status, 202, 'IF gwStatus = 202')
  const accepted = await started.json() as { status: string, jobId: string }
  t.equal(accepted.status, 'accepted')
  const gwJobId = accepted.jobId

  let signal: SignalCall | undefined
  await waitFor(() => (signal = cxone.delivered.find((s) => s.contactId === '31337')) !== undefined, 15_000)
  const sp = signal?.params ?? {}
  t.equal(sp.p1, gwJobId, 'SP1: the job id, so CASE gwSignalJobId != gwJobId lets it through')
  t.equal(sp.p2, 'succeeded', 'SP2')

  const job = await gw.get(`/v1/jobs/${gwJobId}`)
  t.equal(job.status, 200, 'gwJobUrl')
  const first = await job.json() as Page
  t.equal(first.rows.length, 25, 'page.size from part 1')
  t.ok(Number(sp.p3) >= first.rows.length, 'SP3: the row count')
  t.equal(sp.p4, first.rows[0]?.CUSTOMER_ID, 'SP4: the first row\'s CUSTOMER_ID (async.signalValue)')
  t.equal(sp.p5 ?? '', '', 'SP5: no error code')
  t.ok(first.rows.every((row) => row.SEGMENT === 'GOLD'))
  t.equal(first.page.hasMore, true)

  const next = await gw.post('/v1/actions/segment-customers/execute', studioBody(snippet, 'gwPageBody', { ...script, gwCursor: first.page.nextCursor ?? '' }))
  t.equal(next.status, 200, 'the next page by cursor, from part 2\'s gwPageBody')
  const second = await next.json() as Page
  t.equal(second.rows.length, 25)
  t.notOk(second.rows.some((row) => first.rows.some((seen) => seen.CUSTOMER_ID === row.CUSTOMER_ID)), 'rows that follow, not the same again')
})
