import t from 'tap'
import { emulator, gateway } from '../helper.js'

// A result cut by the action's maxRows says so on every page and on the stream; a cursor sent with variables
// that contradict it is refused, naming them.

const warehouse = await emulator(t)
const gw = await gateway(t, warehouse)

interface Page {
  rows: Array<{ CUSTOMER_ID: string }>
  page: { hasMore: boolean, nextCursor: string | null, complete: boolean, rowLimit?: number }
}

async function walk (variables: Record<string, string>): Promise<Array<{ page: Page, complete: string | null, cache: string | null }>> {
  const pages = []
  let body: unknown = { variables }
  for (;;) {
    const res = await gw.post('/v1/actions/limited-customers/execute', body)
    t.equal(res.status, 200)
    const page = await res.json() as Page
    pages.push({ page, complete: res.headers.get('x-result-complete'), cache: res.headers.get('x-cache') })
    if (!page.page.nextCursor) return pages
    body = { page: { cursor: page.page.nextCursor } }
  }
}

t.test('every page of a result cut by maxRows says so, from the warehouse and from the cache', async (t) => {
  for (const pass of ['first walk', 'second walk (cache)']) {
    const pages = await walk({ lastId: 'C000100' })
    t.equal(pages.length, 3, `${pass}: 30 rows of 100, in pages of 10`)
    t.equal(pages.flatMap((p) => p.page.rows).length, 30)
    for (const [i, p] of pages.entries()) {
      t.match(p.page.page, { complete: false, rowLimit: 30 }, `${pass}, page ${i + 1}: the body says the result is cut`)
      t.equal(p.complete, 'false', `${pass}, page ${i + 1}: and so does X-Result-Complete`)
    }
    t.equal(pages[2]?.page.page.hasMore, false, 'no more pages: the cut is the end of what is served')
    if (pass !== 'first walk') t.equal(pages[0]?.cache, 'HIT')
  }
})

t.test('a whole result says it is complete', async (t) => {
  const pages = await walk({ lastId: 'C000020' })
  t.equal(pages.flatMap((p) => p.page.rows).length, 20)
  for (const p of pages) {
    t.equal(p.page.page.complete, true)
    t.equal(p.page.page.rowLimit, undefined)
    t.equal(p.complete, 'true')
  }
})

t.test('an uncached action\'s page says so too', async (t) => {
  const res = await gw.post('/v1/actions/customers-paged/execute', { variables: { lastId: 'C020000' } })
  t.match(await res.json(), { page: { complete: false, rowLimit: 10000 } })
  t.equal(res.headers.get('x-result-complete'), 'false')
})

t.test('the stream says whether it holds the whole result, in a header and a trailer', async (t) => {
  const cut = await gw.post('/v1/actions/limited-customers/stream', { variables: { lastId: 'C000100' } })
  t.equal(cut.headers.get('x-result-complete'), 'false')
  t.equal((await cut.text()).trim().split('\n').length, 30)

  const whole = await gw.post('/v1/actions/limited-customers/stream', { variables: { lastId: 'C000100' }, all: true })
  t.equal(whole.headers.get('x-result-complete'), 'true')
  t.equal((await whole.text()).trim().split('\n').length, 100)
  t.match(whole.headers.get('trailer') ?? '', /x-result-complete/i, 'announced as a trailer, sent after the last row')
})

t.test('a cursor sent with variables that contradict it is a 400 that names them', async (t) => {
  const first = await (await gw.post('/v1/actions/limited-customers/execute', { variables: { lastId: 'C000100', note: 'a' } })).json() as Page
  const cursor = first.page.nextCursor
  const contradicted = await gw.post('/v1/actions/limited-customers/execute', { variables: { lastId: 'C000050', note: 'a' }, page: { cursor } })
  t.equal(contradicted.status, 400)
  t.match(await contradicted.json(), { status: 'error', error: 'CURSOR_VARIABLES_MISMATCH', message: /lastId/, details: { variables: ['lastId'] } })
  const same = await gw.post('/v1/actions/limited-customers/execute', { variables: { lastId: 'C000100' }, page: { cursor } })
  t.equal(same.status, 200, 'the same variables (or a subset) go with their cursor')
  t.equal((await gw.post('/v1/actions/limited-customers/execute', { variables: { lastId: 'C000100', note: 'other' }, page: { cursor } })).status, 200, 'a variable the SQL does not bind cannot contradict it')
  const invalid = await gw.post('/v1/actions/limited-customers/execute', { variables: { lastId: 7 }, page: { cursor } })
  t.equal(invalid.status, 400, 'variables sent with a cursor are checked like any others')
})
