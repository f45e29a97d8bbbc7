import t from 'tap'
import { checkActions } from '../../src/actions/load.js'
import { runNode as run } from '../operations/run-node.js'

const good = `
id: good
version: "1"
sql: SELECT :segment AS S
input: { type: object, properties: { segment: { type: string, examples: [GOLD] } } }
output: { type: object }
`

t.test('the shipped actions pass, and the check says so', async (t) => {
  const exit = await run(['scripts/actions-check.ts'])
  t.equal(exit.code, 0, exit.stderr)
  t.match(exit.stdout, /ok {3}segment-customers \(actions\/segment-customers\.yaml\)/)
  t.match(exit.stdout, /3 action\(s\) in \.\/actions: all good/)
})

t.test('every bad file is named with the words the start stops with', async (t) => {
  const dir = t.testdir({
    'a.yaml': good.replace('segment: { type: string', 'segment: { type: integer'),
    'b.yaml': good.replace('id: good', 'id: other').replace(':segment', ':segmnt'),
    'c.yaml': good.replace('id: good', 'id: third')
  })
  const expected = (await checkActions(dir)).problems.map((problem) => problem.message)
  t.equal(expected.length, 2)
  t.match(expected[0], /a\.yaml: input\.properties\.segment\.examples\[0\] is refused by its schema/)
  t.match(expected[1], /b\.yaml: sql uses :segmnt, which input\.properties does not declare/)

  const check = await run(['scripts/actions-check.ts', dir])
  t.equal(check.code, 1)
  t.same(check.stderr.trim().split('\n').slice(0, 2), expected, 'one line per bad file, as checkActions words it')
  t.match(check.stdout, /ok {3}third/, 'the good file is listed')

  const started = await run(['src/server.ts'], { ACTIONS_DIR: dir, PORT: '0' })
  t.equal(started.code, 1)
  t.equal(started.stderr.trim(), expected[0], 'the start stops with the first of them, word for word')
})

t.test('the folder defaults to ACTIONS_DIR', async (t) => {
  const exit = await run(['scripts/actions-check.ts'], { ACTIONS_DIR: t.testdir({}) })
  t.equal(exit.code, 1)
  t.match(exit.stderr, /no action files \(\*\.yaml, \*\.yml\) in /)
})
