// Standalone emulator: npx snowflake-emulator --port 8085 [--controls] [--no-demo] [--chunk-rows N] …
import { parseArgs } from 'node:util'
import { startEmulator, type EmulatorOptions } from './index.js'

const usage = `Usage: snowflake-emulator [options]
  --host H              listen address (127.0.0.1)
  --port N              port, 0 for a free one (8085)
  --controls            enable test controls under /__emulator
  --no-demo             start without the demo data set
  --big-table-rows N    rows in the demo's big table
  --inline-rows N       rows sent inline in the first rowset (1000)
  --chunk-rows N        rows per result chunk (50000)
  --gzip-chunks         gzip chunk bodies
  --sync-wait-ms N      hold a sync query this long before answering 333333 (1500)
  --session-ttl S       session token lifetime in seconds (3600)
  --master-ttl S        master token lifetime in seconds (14400)
  --max-kept-result-mb N  finished results' text kept for re-fetches, oldest released first (512)
  --user NAME:PASSWORD  a user (repeatable); none means any credentials are accepted`

const { values } = parseArgs({
  options: {
    host: { type: 'string' },
    port: { type: 'string', default: '8085' },
    controls: { type: 'boolean' },
    'no-demo': { type: 'boolean' },
    'big-table-rows': { type: 'string' },
    'inline-rows': { type: 'string' },
    'chunk-rows': { type: 'string' },
    'gzip-chunks': { type: 'boolean' },
    'sync-wait-ms': { type: 'string' },
    'session-ttl': { type: 'string' },
    'master-ttl': { type: 'string' },
    'max-kept-result-mb': { type: 'string' },
    user: { type: 'string', multiple: true },
    help: { type: 'boolean', short: 'h' }
  }
})

if (values.help === true) {
  console.log(usage)
  process.exit(0)
}

const num = (v: string | undefined): number | undefined => {
  if (v === undefined) return undefined
  const n = Number(v)
  if (!Number.isFinite(n)) throw new Error(`not a number: ${v}`)
  return n
}

const megabytes = (mb: number | undefined): number | undefined => mb === undefined ? undefined : mb * 1024 * 1024

const options: EmulatorOptions = {
  host: values.host,
  port: num(values.port),
  controls: values.controls === true,
  demoData: values['no-demo'] !== true,
  bigTableRows: num(values['big-table-rows']),
  inlineRows: num(values['inline-rows']),
  chunkRows: num(values['chunk-rows']),
  gzipChunks: values['gzip-chunks'] === true,
  syncWaitMs: num(values['sync-wait-ms']),
  sessionTtlSeconds: num(values['session-ttl']),
  masterTtlSeconds: num(values['master-ttl']),
  maxKeptResultBytes: megabytes(num(values['max-kept-result-mb'])),
  users: values.user?.map(u => {
    const i = u.indexOf(':')
    return i < 0 ? { name: u } : { name: u.slice(0, i), password: u.slice(i + 1) }
  })
}

const emulator = await startEmulator(options)
// The first line is the URL, so scripts (and the bench) can read it.
console.log(emulator.url)
console.error(`Snowflake emulator listening on ${emulator.url}${options.controls === true ? ' (test controls on)' : ''}`)

const stop = (): void => {
  emulator.close().then(() => process.exit(0), (err: unknown) => {
    console.error(err)
    process.exit(1)
  })
}
process.once('SIGINT', stop)
process.once('SIGTERM', stop)
