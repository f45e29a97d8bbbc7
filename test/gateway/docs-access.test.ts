import t from 'tap'
import { emulator, gateway, tenantsFile } from '../helper.js'

// With API_KEYS_FILE the generic document is public, and a caller's key adds the operations of its own actions.

const keys = { acme: 'acme-key-0123456789', ops: 'ops-admin-key-0123456789' }
const apiKeysFile = tenantsFile(t, [
  { name: 'acme', key: keys.acme, actions: ['cached-customers', 'lookup-by-text'] },
  { name: 'ops', key: keys.ops, admin: true }
])

const warehouse = await emulator(t)
const gw = await gateway(t, warehouse, { API_KEYS_FILE: apiKeysFile })

const actionPaths = async (path: string, headers: Record<string, string> = {}): Promise<string[]> => {
  const res = await gw.get(path, headers)
  t.equal(res.status, 200, `${path} answers`)
  const text = await res.text()
  const paths = path.endsWith('yaml')
    ? [...text.matchAll(/^ {2}(\/v1\/actions\/[a-z0-9-]+\/execute):$/gm)].map((m) => m[1] as string)
    : Object.keys((JSON.parse(text) as { paths: Record<string, unknown> }).paths).filter((p) => /^\/v1\/actions\/[a-z0-9-]+\/execute$/.test(p))
  return paths.sort()
}

t.test('without a key, the document has the generic operations only', async (t) => {
  t.same(await actionPaths('/docs/json'), [])
  t.same(await actionPaths('/docs/yaml'), [])
  t.same(await actionPaths('/docs/json', { authorization: 'Bearer not-a-key' }), [], 'a wrong key is no key')
  const generic = await (await gw.get('/docs/json')).json() as { paths: Record<string, unknown> }
  t.ok(generic.paths['/v1/actions/{id}/execute'], 'the generic execute operation is public')
  t.equal((await gw.get('/docs')).status, 200, 'Swagger UI itself is public')
})

t.test('a tenant\'s key shows the operations of its actions, and no others', async (t) => {
  const mine = ['/v1/actions/cached-customers/execute', '/v1/actions/lookup-by-text/execute']
  t.same(await actionPaths('/docs/json', { authorization: `Bearer ${keys.acme}` }), mine)
  t.same(await actionPaths('/docs/yaml', { 'x-api-key': keys.acme }), mine)
  const all = await actionPaths('/docs/json', { authorization: `Bearer ${keys.ops}` })
  t.equal(all.length, gw.service.app.actions.size, 'an admin tenant allowed every action sees them all')
  t.same(await actionPaths('/docs/json'), [], 'and the next anonymous caller still sees none')
})
