import t from 'tap'
import { emulator, gateway, waitFor } from '../helper.js'

// The execute path under the faults a contact center meets on a bad day, over real HTTP with the real driver:
// stalling and failing chunk downloads, callers that hang up, callers with deadlines of their own.

// Small chunks, so a few thousand rows are several downloads.
const warehouse = await emulator(t, { inlineRows: 500, chunkRows: 500 })
const gw = await gateway(t, warehouse)
t.afterEach(() => { warehouse.controls.clearFaults() })

interface Page {
  rows: Array<{ CUSTOMER_ID: string }>
}

// The action's statement, not any: a background fill or a cost read of an earlier test may be running too.
const sharedStatement = (): string | undefined =>
  warehouse.controls.runningQueries().find((q) => /CUSTOMER_ID <= \?/.test(q.sqlText))?.queryId

const execute = async (body: unknown, headers: Record<string, string> = {}, signal?: AbortSignal): Promise<Response> =>
  await fetch(`${gw.url}/v1/actions/cached-customers/execute`, {
    method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body), signal
  })

t.test('a chunk that stalls past the deadline: 504 on time, and the statement is cancelled in Snowflake', async (t) => {
  warehouse.controls.stallChunks({ times: 1, ms: 10_000 })
  const before = warehouse.controls.abortsRequested().length
  const started = Date.now()
  const res = await execute({ variables: { lastId: 'C004000' } }, { 'x-request-timeout-ms': '1000' })
  const took = Date.now() - started
  t.equal(res.status, 504)
  t.match(await res.json(), { status: 'error', error: 'DEADLINE_EXCEEDED' })
  t.ok(took < 1500, `answered after ${took} ms`)
  await waitFor(() => warehouse.controls.abortsRequested().length > before, 2000)
  const cancelled = warehouse.controls.abortsRequested().slice(before)
  const query = warehouse.controls.queryLog().find((q) => q.queryId === cancelled[0])
  t.match(query, { queryTag: 'cached-customers:1' }, 'the cancel named the statement that was downloading')
})

t.test('chunks that keep failing under a 3,000 ms deadline are answered within 3,500 ms', async (t) => {
  warehouse.controls.failChunks({ times: 1000 })
  const started = Date.now()
  const res = await execute({ variables: { lastId: 'C005000' } }, { 'x-request-timeout-ms': '3000' })
  const took = Date.now() - started
  t.ok([503, 504].includes(res.status), `${res.status} (unavailable or deadline)`)
  t.ok(took < 3500, `answered after ${took} ms`)
})

t.test('a leader that hangs up leaves the shared statement to the caller still waiting', async (t) => {
  warehouse.controls.injectFault({ match: /CUSTOMER_ID <= \?/, latencyMs: 800 })
  const variables = { lastId: 'C000600' }
  const leader = new AbortController()
  const leaderAnswer = execute({ variables }, {}, leader.signal).catch((err: Error) => err)
  await waitFor(() => sharedStatement() !== undefined)
  const joiner = execute({ variables })
  await new Promise((resolve) => setTimeout(resolve, 100))
  leader.abort()
  t.type(await leaderAnswer, Error, 'the leader went away')
  const res = await joiner
  t.equal(res.status, 200, 'the joiner got its answer')
  t.equal((await res.json() as Page).rows.length, 10)
})

t.test('a joiner with a shorter deadline gets its 504 on time while the statement goes on for the others', async (t) => {
  warehouse.controls.injectFault({ match: /CUSTOMER_ID <= \?/, latencyMs: 2000 })
  const variables = { lastId: 'C000700' }
  const before = warehouse.controls.queryLog().length
  const patient = execute({ variables })
  await waitFor(() => sharedStatement() !== undefined)
  const started = Date.now()
  const hasty = await execute({ variables }, { 'x-request-timeout-ms': '500' })
  const took = Date.now() - started
  t.equal(hasty.status, 504)
  t.ok(took < 1000, `the hasty joiner was answered after ${took} ms`)
  const res = await patient
  t.equal(res.status, 200, 'the patient caller still got its rows')
  t.equal(warehouse.controls.queryLog().slice(before).filter((q) => q.queryTag === 'cached-customers:1').length, 1, 'one statement for both')
})

t.test('when every caller of a shared statement has gone, the statement is cancelled', async (t) => {
  warehouse.controls.injectFault({ match: /CUSTOMER_ID <= \?/, latencyMs: 3000 })
  const before = warehouse.controls.abortsRequested().length
  const callers = [new AbortController(), new AbortController()]
  const answers = callers.map(async (c) => await execute({ variables: { lastId: 'C000800' } }, {}, c.signal).catch(() => undefined))
  await waitFor(() => sharedStatement() !== undefined)
  const queryId = sharedStatement()
  for (const c of callers) c.abort()
  await Promise.all(answers)
  await waitFor(() => !warehouse.controls.runningQueries().some((q) => q.queryId === queryId), 2000)
  t.ok(warehouse.controls.abortsRequested().slice(before).includes(queryId ?? ''), 'cancelled in Snowflake')
})
