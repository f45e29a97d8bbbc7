import { chromium, type Locator } from 'playwright-core'
import t from 'tap'
import { parse } from 'yaml'
import { genericOpenapiYaml } from '../scripts/openapi-document.js'
import { emulator, gateway } from './helper.js'

// Every example the documentation offers is one a new user can press Execute on: it answers 200 with rows, and
// none holds a made-up cursor (Swagger UI invents `"cursor": "string"` from the schema when nothing says otherwise).

type JsonObject = Record<string, unknown>

interface Media {
  schema: { properties: Record<string, { examples?: unknown[] }> }
  example?: JsonObject
}

interface Operation {
  parameters?: Array<{ in: string, name: string, example?: string }>
  requestBody: { content: Record<string, Media> }
}

const warehouse = await emulator(t)
const gw = await gateway(t, warehouse, { ACTIONS_DIR: 'actions' })
const document = await (await gw.get('/docs/json')).json() as { paths: Record<string, { post?: Operation }> }
const shipped = [...gw.service.app.actions.keys()]
const generic = '/v1/actions/{id}/execute'

/** Every operation that runs an action: the generic one (its id from the id parameter's example) and one per action. */
function executeOperations (): Array<{ name: string, path: string, operation: Operation }> {
  const found = []
  const operation = document.paths[generic]?.post
  const id = operation?.parameters?.find((p) => p.in === 'path' && p.name === 'id')?.example
  if (operation) found.push({ name: `generic (id ${id ?? 'none'})`, path: `/v1/actions/${id ?? ''}/execute`, operation })
  for (const action of shipped) {
    const own = document.paths[`/v1/actions/${action}/execute`]?.post
    if (own) found.push({ name: action, path: `/v1/actions/${action}/execute`, operation: own })
  }
  return found
}

/** What a form from the documented field examples sends: each object field as JSON text. */
function formOf (media: Media): string {
  const form = new URLSearchParams()
  for (const [name, schema] of Object.entries(media.schema.properties)) {
    const example = schema.examples?.[0]
    if (example !== undefined) form.set(name, typeof example === 'string' ? example : JSON.stringify(example))
  }
  return form.toString()
}

function holdsCursor (value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false
  return Object.entries(value).some(([key, inner]) => key === 'cursor' ? !(inner !== null && typeof inner === 'object') : holdsCursor(inner))
}

t.test('no example in the served or the committed document holds a cursor', async (t) => {
  const examples = (root: unknown): unknown[] => {
    const found: unknown[] = []
    const walk = (value: unknown): void => {
      if (value === null || typeof value !== 'object') return
      for (const [key, inner] of Object.entries(value)) {
        if (key === 'example') found.push(inner)
        else if (key === 'examples' && Array.isArray(inner)) found.push(...inner)
        walk(inner)
      }
    }
    walk(root)
    return found
  }
  for (const [name, root] of [['served', document], ['openapi.yaml', parse(await genericOpenapiYaml())]] as const) {
    const found = examples(root)
    t.ok(found.length > 0, `${name}: has examples`)
    t.notOk(found.some(holdsCursor), `${name}: none holds a cursor`)
  }
})

t.test('every execute form field and JSON body has an example of its own, so Swagger UI invents none', async (t) => {
  for (const { name, operation } of executeOperations()) {
    t.ok(operation.requestBody.content['application/json']?.example, `${name}: a JSON example`)
    const fields = operation.requestBody.content['application/x-www-form-urlencoded']?.schema.properties ?? {}
    for (const field of ['variables', 'page']) t.ok(fields[field]?.examples?.length, `${name}: the form's ${field} field`)
  }
})

t.test('the generic operation\'s id parameter names a shipped action', async (t) => {
  const id = document.paths[generic]?.post?.parameters?.find((p) => p.in === 'path' && p.name === 'id')?.example
  t.ok(id !== undefined && shipped.includes(id), `example id ${String(id)}`)
})

t.test('each documented example, as JSON and as a form, answers 200 with rows', async (t) => {
  const operations = executeOperations()
  t.equal(operations.length, shipped.length + 1)
  for (const { name, path, operation } of operations) {
    const json = operation.requestBody.content['application/json']
    const form = operation.requestBody.content['application/x-www-form-urlencoded']
    if (!json?.example || !form) {
      t.fail(`${name}: a JSON example and a form`)
      continue
    }
    for (const [type, body] of [['application/json', JSON.stringify(json.example)], ['application/x-www-form-urlencoded', formOf(form)]] as const) {
      const res = await gw.post(path, body, { 'content-type': type })
      const answer = await res.json() as { rows?: unknown[], message?: string }
      t.equal(res.status, 200, `${name}, ${type}: ${body} ${answer.message ?? ''}`)
      t.ok((answer.rows?.length ?? 0) > 0, `${name}, ${type}: rows`)
    }
  }
})

t.test('in Swagger UI, Try it out then Execute answers 200 for the generic operation and for a form', async (t) => {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']
  })
  t.teardown(async () => await browser.close())
  const page = await browser.newPage()
  page.setDefaultTimeout(20_000)
  const failed: string[] = []
  page.on('pageerror', (error) => failed.push(error.message))
  const sent: string[] = []
  page.on('request', (request) => { if (request.method() === 'POST') sent.push(request.postData() ?? '') })
  await page.goto(`${gw.url}/docs`)

  const execute = async (operation: Locator, contentType?: string): Promise<{ status: string, text: string }> => {
    await operation.locator('.opblock-summary').click()
    await operation.getByRole('button', { name: 'Try it out' }).click()
    if (contentType) await operation.locator('.opblock-section-request-body select').selectOption(contentType)
    await operation.getByRole('button', { name: 'Execute', exact: true }).click()
    const response = operation.locator('.live-responses-table .response')
    await response.locator('.response-col_status').waitFor()
    return {
      status: (await response.locator('.response-col_status').innerText()).trim(),
      text: await response.locator('.response-col_description pre').first().innerText()
    }
  }

  const genericOperation = page.locator('.opblock').filter({ hasText: generic }).first()
  const asJson = await execute(genericOperation)
  t.equal(asJson.status, '200', `generic, JSON, the id and body as prefilled: ${asJson.text.slice(0, 200)}`)
  await genericOperation.locator('.opblock-summary').click()

  const segment = page.locator('.opblock').filter({ hasText: '/v1/actions/segment-customers/execute' })
  const asForm = await execute(segment, 'application/x-www-form-urlencoded')
  t.equal(asForm.status, '200', `segment-customers, form: ${asForm.text.slice(0, 200)}`)
  t.match(sent.at(-1) ?? '', /^variables=/, 'sent as form fields')

  t.notOk(sent.some((body) => /cursor/.test(decodeURIComponent(body))), `no cursor was sent: ${sent.join(' | ')}`)
  t.same(failed, [], 'no script errors on the page')
})
