import { spawn } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import t from 'tap'
import { waitFor } from '../helper.js'
import { inheritedEnv, root } from '../operations/run-node.js'

const probe = (description: string): string => `
id: probe
version: "1"
description: ${description}
sql: SELECT 1 AS N
input: { type: object }
output: { type: object }
`

t.test('SIGHUP reloads the action files of a running gateway, which keeps serving', async (t) => {
  const dir = t.testdir({ 'probe.yaml': probe('first') })
  // The embedded emulator (no SNOWFLAKE_ACCOUNT), on a free port.
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: root,
    // No load shedding: the emulator's demo data is built in the same process, and a busy machine would shed.
    env: { ...inheritedEnv(), PORT: '0', HOST: '127.0.0.1', ACTIONS_DIR: dir, LOG_LEVEL: 'info', LOAD_MAX_EVENT_LOOP_DELAY_MS: '0' }
  })
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
  t.teardown(() => { child.kill('SIGKILL') })
  let stdout = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk })
  await waitFor(() => /listening on (http:\S+)/.test(stdout), 30_000, 50)
  const url = /listening on (http:\S+)/.exec(stdout)?.[1] ?? ''
  const reloads = (): number => stdout.split('\n').filter((line) => line.includes('"msg":"reloaded 1 action(s)')).length
  const description = async (): Promise<string> => ((await (await fetch(`${url}/v1/actions/probe`)).json()) as { description: string }).description
  t.equal(await description(), 'first')

  await writeFile(join(dir, 'probe.yaml'), probe('second'))
  await waitFor(async () => await description() === 'second', 5000, 50)
  // The log line may reach this process after the answer does.
  await waitFor(() => reloads() >= 1, 5000, 50)
  const before = reloads()

  child.kill('SIGHUP')
  await waitFor(() => reloads() > before, 5000, 50)
  t.match(stdout, /"signal":"SIGHUP".*"msg":"reloading the action files"/, 'the signal is logged')
  t.equal((await fetch(`${url}/health/ready`)).status, 200, 'SIGHUP does not close the gateway')

  child.kill('SIGTERM')
  t.equal(await exited, 0, 'SIGTERM still closes it')
})
