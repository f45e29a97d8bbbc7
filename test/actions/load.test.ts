import t from 'tap'
import { ActionFileError, checkActions, loadActions } from '../../src/actions/load.js'

const valid = `
id: demo
version: 2
sql: select * from t where a = :segment and b >= :min
input:
  type: object
  required: [segment]
  properties:
    segment: { type: string, enum: [GOLD, SILVER] }
    min: { type: number, default: 0 }
    flag: { type: boolean }
output:
  type: object
  properties:
    A: { type: string }
`

t.test('the shipped example actions load', async (t) => {
  const actions = await loadActions('actions')
  t.ok(actions.size >= 2)
  for (const action of actions.values()) t.ok(action.statement.sql.includes('?'), action.id)
})

t.test('an action file compiles to positional SQL, defaults and a definition hash', async (t) => {
  const dir = t.testdir({ 'demo.yaml': valid })
  const action = (await loadActions(dir)).get('demo')
  if (!action) throw new Error('demo not loaded')
  t.equal(action.version, '2')
  t.same(action.statement, { sql: 'select * from t where a = ? and b >= ?', order: ['segment', 'min'], names: ['min', 'segment'] })
  t.match(action, { timeoutMs: 10000, maxRows: 1000, page: { defaultSize: 50, maxSize: 500 }, cache: { ttlSeconds: 0 }, sensitive: [] })
  t.match(action.definitionHash, /^[\w-]{16}$/)
  const edited = (await loadActions(t.testdir({ 'demo.yaml': valid.replace('b >=', 'b >') }))).get('demo')
  t.not(edited?.definitionHash, action.definitionHash, 'editing the SQL changes the hash')
})

t.test('input validation coerces Studio\'s strings to the declared types and fills defaults', async (t) => {
  const action = (await loadActions(t.testdir({ 'demo.yaml': valid }))).get('demo')
  if (!action) throw new Error('demo not loaded')
  const variables: Record<string, unknown> = { segment: 'GOLD', flag: 'true' }
  t.ok(action.validateInput(variables))
  t.same(variables, { segment: 'GOLD', min: 0, flag: true })
  const numeric: Record<string, unknown> = { segment: 'GOLD', min: '10000' }
  t.ok(action.validateInput(numeric))
  t.equal(numeric.min, 10000)
  t.notOk(action.validateInput({ segment: 'GOLD', min: 'lots' }))
  t.notOk(action.validateInput({ segment: 'COPPER' }))
})

t.test('row validation is strict: no coercion', async (t) => {
  const action = (await loadActions(t.testdir({ 'demo.yaml': valid }))).get('demo')
  t.ok(action?.validateRow({ A: 'x' }))
  t.notOk(action?.validateRow({ A: 1 }))
})

const problems: Array<[string, string, RegExp]> = [
  ['an unknown key', valid + 'cache_ttl: 5\n', /must NOT have additional properties \('cache_ttl'\)/],
  ['a parameter the input does not declare', valid.replace(':min', ':minimum'), /sql uses :minimum, which input.properties does not declare/],
  ['a sensitive name the input does not declare', valid + 'sensitive: [secret]\n', /sensitive names 'secret'/],
  ['a broken input schema', valid.replace('type: number, default: 0', 'type: numbr'), /input is not a valid JSON Schema/],
  ['a missing sql', valid.replace(/^sql: .*$/m, ''), /must have required property 'sql'/],
  ['an async.signalValue the output does not declare', valid + 'async: { signalValue: NOPE }\n', /async.signalValue names 'NOPE', which output.properties does not declare/],
  ['an async timeout past two days', valid + 'async: { timeoutMs: 172800001 }\n', /must be <= 172800000/],
  ['page sizes out of order', valid + 'page: { defaultSize: 10, maxSize: 5 }\n', /page.defaultSize must not exceed page.maxSize/],
  ['invalid YAML', 'id: [unclosed', /not valid YAML/],
  ['a variable example its schema refuses', valid.replace('enum: [GOLD, SILVER] }', 'enum: [GOLD, SILVER], examples: [GOLD, COPPER] }'),
    /input.properties.segment.examples\[1\] is refused by its schema: \/segment must be equal to one of the allowed values/],
  ['a whole example the input schema refuses', valid.replace('  required: [segment]', '  required: [segment]\n  examples: [{ segment: GOLD }, { min: 5 }]'),
    /input.examples\[1\] is refused by the input schema: \/ must have required property 'segment'/]
]

for (const [what, text, message] of problems) {
  t.test(`a file with ${what} stops the start, naming the file`, async (t) => {
    const dir = t.testdir({ 'bad.yaml': text })
    const err = await loadActions(dir).then(() => undefined, (e: unknown) => e)
    t.type(err, ActionFileError)
    t.match((err as Error).message, /bad\.yaml: /)
    t.match((err as Error).message, message)
  })
}

t.test('examples the schemas accept, as Studio sends them (strings), load', async (t) => {
  const text = valid
    .replace('enum: [GOLD, SILVER] }', 'enum: [GOLD, SILVER], examples: [GOLD] }')
    .replace('default: 0 }', 'default: 0, examples: ["10000", 5] }')
    .replace('  required: [segment]', '  required: [segment]\n  examples: [{ segment: SILVER, min: "1" }]')
  const action = (await loadActions(t.testdir({ 'demo.yaml': text }))).get('demo')
  t.same(action?.input.examples, [{ segment: 'SILVER', min: '1' }], 'checking an example leaves it as written')
})

t.test('checkActions reports every bad file with the message the start gives, and keeps the good ones', async (t) => {
  const dir = t.testdir({ 'a-bad.yaml': valid + 'cache_ttl: 5\n', 'b-good.yaml': valid, 'c-bad.yaml': 'id: [unclosed' })
  const { actions, problems } = await checkActions(dir)
  t.same([...actions.keys()], ['demo'])
  t.same(problems.map((p) => p.file), [`${dir}/a-bad.yaml`, `${dir}/c-bad.yaml`])
  const first = await loadActions(dir).then(() => undefined, (e: unknown) => e)
  t.equal((first as Error).message, problems[0]?.message, 'the start stops at the first, with the same words')
})

t.test('two files with one id are refused', async (t) => {
  const dir = t.testdir({ 'a.yaml': valid, 'b.yml': valid })
  await t.rejects(loadActions(dir), /b\.yml: id 'demo' is already defined by .*a\.yaml/)
})
