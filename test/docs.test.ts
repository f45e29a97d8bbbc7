import { chromium } from 'playwright-core'
import t from 'tap'
import { emulator, gateway } from './helper.js'

interface Operation {
  tags: string[]
  operationId: string
  parameters?: Array<{ in: string, name: string }>
  requestBody: { content: Record<string, { schema: { properties: Record<string, unknown> }, example?: { variables: Record<string, unknown> } }> }
  responses: Record<string, { content: { 'application/json': { schema: { properties: { rows: { items: unknown } } } } } }>
}

interface Document {
  paths: Record<string, { post?: Operation }>
}

const warehouse = await emulator(t)
const gw = await gateway(t, warehouse, { ACTIONS_DIR: 'actions' })
const document = await (await gw.get('/docs/json')).json() as Document
const shipped = [...gw.service.app.actions.values()]

t.test('the served document has the generic operations and one operation per loaded action', async (t) => {
  t.ok(document.paths['/v1/actions/{id}/execute']?.post, 'the generic execute operation stays')
  t.same(shipped.map((a) => a.id).sort(), ['customer-lookup', 'interaction-export', 'segment-customers'])
  for (const action of shipped) {
    const operation = document.paths[`/v1/actions/${action.id}/execute`]?.post
    if (!operation) {
      t.fail(`no operation for ${action.id}`)
      continue
    }
    t.equal(operation.operationId, `execute-${action.id}`)
    t.notOk(operation.parameters?.some((p) => p.in === 'path'), `${action.id}: the id is in the path itself`)
    t.same(operation.requestBody.content['application/json']?.schema.properties.variables, action.input, `${action.id}: variables follow the input schema`)
    t.same(operation.responses['200']?.content['application/json'].schema.properties.rows.items, action.output, `${action.id}: rows follow the output schema`)
  }
  const yaml = await (await gw.get('/docs/yaml')).text()
  t.match(yaml, /\/v1\/actions\/segment-customers\/execute:/, 'the YAML form carries them too')
})

t.test('each action\'s example request answers 200 with rows on the demo data', async (t) => {
  for (const action of shipped) {
    const example = document.paths[`/v1/actions/${action.id}/execute`]?.post?.requestBody.content['application/json']?.example
    const res = await gw.post(`/v1/actions/${action.id}/execute`, example)
    const answer = await res.json() as { rows?: unknown[] }
    t.equal(res.status, 200, `${action.id} with ${JSON.stringify(example)}`)
    t.ok((answer.rows?.length ?? 0) > 0, `${action.id}: rows`)
  }
  t.same(document.paths['/v1/actions/segment-customers/execute']?.post?.requestBody.content['application/json']?.example,
    { variables: { segment: 'GOLD', minLifetimeValue: 10000 } })
})

t.test('Swagger UI at /docs runs segment-customers from its example in headless Chromium', async (t) => {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']
  })
  t.teardown(async () => await browser.close())
  const page = await browser.newPage()
  page.setDefaultTimeout(20_000)
  const failed: string[] = []
  page.on('pageerror', (error) => failed.push(error.message))

  await page.goto(`${gw.url}/docs`)
  const operation = page.locator('.opblock').filter({ hasText: '/v1/actions/segment-customers/execute' })
  await operation.locator('.opblock-summary').click()
  await operation.getByRole('button', { name: 'Try it out' }).click()
  const body = operation.locator('textarea.body-param__text')
  t.same(JSON.parse(await body.inputValue()), { variables: { segment: 'GOLD', minLifetimeValue: 10000 } }, 'the body is prefilled with the example')
  await operation.getByRole('button', { name: 'Execute', exact: true }).click()

  const response = operation.locator('.live-responses-table .response')
  await response.locator('.response-col_status').waitFor()
  t.equal((await response.locator('.response-col_status').innerText()).trim(), '200')
  const text = await response.locator('.response-col_description pre').first().innerText()
  const answer = JSON.parse(text) as { status: string, action: string, rows: Array<Record<string, unknown>> }
  t.match(answer, { status: 'ok', action: 'segment-customers' })
  t.ok(answer.rows.length > 0, 'rows are rendered')
  t.ok(answer.rows.every((row) => row.SEGMENT === 'GOLD' && Number(row.LIFETIME_VALUE) >= 10000), 'only GOLD customers worth 10000 or more')
  t.match(text, /"CUSTOMER_ID": "C\d{6}"/)
  t.same(failed, [], 'no script errors on the page')
})
