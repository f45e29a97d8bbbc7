import { rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import pino from 'pino'
import t, { type Test } from 'tap'
import { loadActions } from '../../src/actions/load.js'
import { emulator, gateway, waitFor, type Gateway } from '../helper.js'

const probe = (n: number, description = 'probe'): string => `
id: probe
version: "1"
description: ${description}
sql: SELECT ${n} AS N
input: { type: object }
output: { type: object, required: [N], properties: { N: { type: integer } } }
`

const other = `
id: other
version: "1"
sql: SELECT 'x' AS X
input: { type: object }
output: { type: object }
`

const warehouse = await emulator(t)

interface Logged { level: number, msg: string, problems?: string[], changed?: string[] }

async function start (t: Test): Promise<{ gw: Gateway, dir: string, logs: Logged[] }> {
  const dir = t.testdir({ 'probe.yaml': probe(1) })
  const logs: Logged[] = []
  const logger = pino({ level: 'info' }, new Writable({
    write (chunk: Buffer, _encoding, done) {
      logs.push(JSON.parse(chunk.toString()) as Logged)
      done()
    }
  }))
  const gw = await gateway(t, warehouse, { ACTIONS_DIR: dir }, logger)
  return { gw, dir, logs }
}

const n = async (gw: Gateway): Promise<unknown> => {
  const answer = await gw.post('/v1/actions/probe/execute', { variables: {} })
  return ((await answer.json()) as { rows?: Array<{ N: unknown }> }).rows?.[0]?.N
}

t.test('a reload that changes an action\'s SQL is what the next call runs', async (t) => {
  const { gw, dir } = await start(t)
  t.equal(await n(gw), 1)
  await writeFile(join(dir, 'probe.yaml'), probe(2))
  const result = await gw.service.app.reloadActions()
  t.match(result, { reloaded: true, count: 1, changed: ['probe'], added: [], removed: [] })
  t.equal(await n(gw), 2, 'the next call runs the new SQL')
  await writeFile(join(dir, 'other.yaml'), other)
  t.match(await gw.service.app.reloadActions(), { reloaded: true, count: 2, added: ['other'], changed: [] })
  t.equal((await gw.get('/v1/actions/other')).status, 200, 'an added action is served')
})

t.test('a change in the folder is reloaded without being asked (fs.watch)', async (t) => {
  const { gw, dir, logs } = await start(t)
  t.equal(await n(gw), 1)
  await writeFile(join(dir, 'probe.yaml'), probe(3))
  await waitFor(async () => await n(gw) === 3, 5000, 50)
  t.match(logs.find((line) => line.msg.startsWith('reloaded ')), { changed: ['probe'] }, 'the reload is logged with what changed')
  await rm(join(dir, 'probe.yaml'))
  await writeFile(join(dir, 'renamed.yaml'), probe(4))
  await waitFor(async () => await n(gw) === 4, 5000, 50)
})

t.test('a bad file keeps the actions in use, and the log says why in the start\'s words', async (t) => {
  const { gw, dir, logs } = await start(t)
  await writeFile(join(dir, 'probe.yaml'), probe(5))
  await writeFile(join(dir, 'broken.yaml'), other + 'cache_ttl: 5\n')
  const startWords = await loadActions(dir).then(() => '', (err: unknown) => (err as Error).message)
  const result = await gw.service.app.reloadActions()
  t.match(result, { reloaded: false, count: 1, problems: [startWords] })
  t.equal(await n(gw), 1, 'the good file\'s change is not taken either: the folder is one set')
  const refusal = logs.find((line) => line.msg.startsWith('action files not reloaded'))
  t.equal(refusal?.level, 50, 'logged as an error')
  t.match(refusal?.msg, startWords)
  t.same(refusal?.problems, [startWords])
  await rm(join(dir, 'broken.yaml'))
  t.match(await gw.service.app.reloadActions(), { reloaded: true })
  t.equal(await n(gw), 5, 'once the folder is good again, it is taken')
})

t.test('a folder left with no action file keeps the actions in use', async (t) => {
  const { gw, dir } = await start(t)
  await rm(join(dir, 'probe.yaml'))
  t.match(await gw.service.app.reloadActions(), { reloaded: false, count: 1, problems: [/no action file left in the folder/] })
  t.equal(await n(gw), 1)
  t.equal((await gw.get('/health/ready')).status, 200, 'still ready')
})

t.test('a reload asked for while one runs reads the folder after it', async (t) => {
  const { gw, dir } = await start(t)
  const first = gw.service.app.reloadActions()
  await writeFile(join(dir, 'probe.yaml'), probe(6))
  const second = await gw.service.app.reloadActions()
  await first
  t.equal(second.reloaded, true)
  t.equal(await n(gw), 6, 'the answer of the second reload reflects the change made after the first began')
})
