import pino from 'pino'
import t from 'tap'
import { loadConfig } from '../../src/config.js'
import { createService, type Service } from '../../src/service.js'
import { ConnectionManager } from '../../src/warehouse/connection-manager.js'
import { flushDb, sharedRedisUrl } from '../redis.js'

// Demo mode (no SNOWFLAKE_ACCOUNT) starts the embedded emulator on a new random port each time. Its results
// are the same demo data wherever it listens, so a restart must not lose the cached results or the cursors.

const db = 12
await flushDb(db)

interface Answer {
  error?: string
  queryId: string
  rows: Array<{ CUSTOMER_ID: string }>
  page: { nextCursor: string | null }
}

async function demoGateway (): Promise<{ service: Service, execute: (body: unknown) => Promise<{ status: number, cache: string | null, answer: Answer }> }> {
  const config = loadConfig({
    ACTIONS_DIR: 'actions',
    REDIS_URL: sharedRedisUrl(db),
    CURSOR_SECRET: 'demo-restart-secret-0123456789',
    LOAD_MAX_EVENT_LOOP_DELAY_MS: '0'
  })
  const service = await createService(config, { logger: pino({ level: 'silent' }) })
  const url = await service.app.listen({ port: 0, host: '127.0.0.1' })
  const execute = async (body: unknown): Promise<{ status: number, cache: string | null, answer: Answer }> => {
    const res = await fetch(`${url}/v1/actions/segment-customers/execute`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
    return { status: res.status, cache: res.headers.get('x-cache'), answer: await res.json() as Answer }
  }
  return { service, execute }
}

const variables = { segment: 'GOLD', minLifetimeValue: 40000 }

t.test('a demo gateway started after another, on a new emulator port, serves the first one\'s cached result and cursor', async (t) => {
  const first = await demoGateway()
  let firstClosed = false
  t.teardown(async () => { if (!firstClosed) await first.service.close() })
  const firstPort = first.service.emulator?.port
  const page1 = await first.execute({ variables, page: { size: 5 } })
  t.equal(page1.status, 200)
  t.equal(page1.cache, 'MISS')
  const cursor = page1.answer.page.nextCursor
  t.ok(cursor, 'a cursor for the next page')
  const page2 = await first.execute({ page: { cursor } })
  await first.service.close()
  firstClosed = true

  const second = await demoGateway()
  t.teardown(async () => { await second.service.close() })
  t.not(second.service.emulator?.port, firstPort, 'the emulator listens on another port')

  const again = await second.execute({ variables, page: { size: 5 } })
  t.equal(again.status, 200)
  t.equal(again.cache, 'HIT', 'the first gateway\'s result, from the cache')
  t.equal(again.answer.queryId, page1.answer.queryId)
  t.same(again.answer.rows, page1.answer.rows)

  const continued = await second.execute({ page: { cursor } })
  t.equal(continued.status, 200, 'the first gateway\'s cursor works')
  t.same(continued.answer.rows, page2.answer.rows)

  // Both gone (the cache dropped, the first emulator's results with it): the cursor re-runs with its variables,
  // which is only allowed when the result's key is the same as the cursor's.
  const dropped = await second.service.app.inject({ method: 'DELETE', url: '/v1/actions/segment-customers/cache' })
  t.equal(dropped.statusCode, 200)
  const rerun = await second.execute({ variables, page: { cursor } })
  t.equal(rerun.status, 200, `re-run from the cursor: ${rerun.answer.error ?? 'ok'}`)
  t.same(rerun.answer.rows, page2.answer.rows)
})

t.test('for a configured account, where the statements run stays in the scope', async (t) => {
  const logger = pino({ level: 'silent' })
  const pool = { min: 0, max: 1, acquireTimeoutMs: 1000, checkAfterIdleMs: 60000, resultPrefetch: 1, rowStreamHighWaterMark: 1000 }
  const base = { account: 'ORG-ACCT', user: 'GATEWAY', authenticator: 'SNOWFLAKE', database: 'DB', schema: 'S', role: 'R', warehouse: 'WH' } as const
  const scope = (extra: object): string => new ConnectionManager({ ...base, ...extra }, pool, logger).scope()
  const plain = scope({})
  t.not(scope({ accessUrl: 'https://a.example.com' }), scope({ accessUrl: 'https://b.example.com' }), 'accessUrl')
  for (const [name, value] of Object.entries({ account: 'OTHER', user: 'OTHER', database: 'OTHER', schema: 'OTHER', role: 'OTHER', warehouse: 'OTHER' })) {
    t.not(scope({ [name]: value }), plain, name)
  }
})
