import { readFile } from 'node:fs/promises'
import t from 'tap'
import { parse } from 'yaml'
import { genericOpenapiYaml } from '../scripts/openapi-document.js'

const generated = await genericOpenapiYaml()

t.test('the committed openapi.yaml is what `npm run openapi` writes from the route schemas now', async (t) => {
  const committed = await readFile(new URL('../openapi.yaml', import.meta.url), 'utf8')
  t.equal(committed, generated, 'openapi.yaml is stale: run `npm run openapi` and commit the result')
})

t.test('it holds only the generic operations, none for a particular action', async (t) => {
  const document = parse(generated) as { openapi: string, paths: Record<string, unknown> }
  t.equal(document.openapi, '3.1.0')
  t.ok(document.paths['/v1/actions/{id}/execute'], 'the generic execute operation')
  t.same(Object.keys(document.paths).filter((path) => path.startsWith('/v1/actions/') && !path.startsWith('/v1/actions/{id}')), [])
  t.notOk(Object.keys(document.paths).some((path) => path.startsWith('/docs')), 'the UI\'s own routes are hidden')
})

t.test('every /v1 operation declares the API key schemes; health does not', async (t) => {
  type Operation = { security?: unknown }
  const document = parse(generated) as { paths: Record<string, Record<string, Operation>>, components: { securitySchemes: Record<string, unknown> } }
  t.match(document.components.securitySchemes, { bearer: { type: 'http', scheme: 'bearer' }, apiKey: { type: 'apiKey', in: 'header', name: 'X-Api-Key' } })
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (path.startsWith('/v1/')) t.same(operation.security, [{ bearer: [] }, { apiKey: [] }], `${method} ${path}`)
      else t.equal(operation.security, undefined, `${method} ${path}`)
    }
  }
})
