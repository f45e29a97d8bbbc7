// Streams 1,000,000 rows through snowflake-sdk streamRows() from the emulator (in a child process, so
// the measured RSS is the client's) and compares with DuckDB reading the same rows directly.
// Each side runs in its own process so neither's peak RSS includes the other's.
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000)
const root = fileURLToPath(new URL('../', import.meta.url))
const self = fileURLToPath(import.meta.url)

interface Measurement { rows: number, ms: number, rowsPerSecond: number, peakRssMb: number }

function tracker (): { sample: () => void, done: (rows: number, started: number) => Measurement } {
  let peak = process.memoryUsage.rss()
  const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage.rss()) }, 20)
  return {
    sample: () => { peak = Math.max(peak, process.memoryUsage.rss()) },
    done: (rows, started) => {
      clearInterval(timer)
      const ms = performance.now() - started
      return { rows, ms: Math.round(ms), rowsPerSecond: Math.round(rows / (ms / 1000)), peakRssMb: Math.round(peak / 1048576) }
    }
  }
}

async function viaDriver (url: string): Promise<Measurement> {
  process.env.SNOWFLAKE_DISABLE_PLATFORM_DETECTION = 'true'
  process.env.SF_TELEMETRY_DISABLE_CONNECTION_SHAPE = '1'
  const { default: snowflake } = await import('snowflake-sdk')
  snowflake.configure({ logLevel: 'OFF', disableOCSPChecks: true, useEnvProxy: false })
  const conn = snowflake.createConnection({ accessUrl: url, account: 'BENCH', username: 'bench', password: 'bench', warehouse: 'WH', sfRetryMaxLoginRetries: 0 })
  await new Promise<void>((resolve, reject) => conn.connect(err => { if (err !== undefined && err !== null) reject(err); else resolve() }))
  const track = tracker()
  const started = performance.now()
  let rows = 0
  await new Promise<void>((resolve, reject) => {
    const stmt = conn.execute({
      sqlText: `select seq4() as id, 'row-' || seq4() as name from table(generator(rowcount => ${ROWS}))`,
      streamResult: true
    })
    stmt.streamRows()
      .on('data', () => { if (++rows % 10_000 === 0) track.sample() })
      .on('end', () => resolve())
      .on('error', reject)
  })
  const m = track.done(rows, started)
  await new Promise<void>(resolve => conn.destroy(() => resolve()))
  return m
}

async function viaDuckDb (): Promise<Measurement> {
  const { DuckDBInstance } = await import('@duckdb/node-api')
  const instance = await DuckDBInstance.create(':memory:')
  const conn = await instance.connect()
  const track = tracker()
  const started = performance.now()
  let rows = 0
  const result = await conn.stream(`select range as id, 'row-' || range as name from range(${ROWS})`)
  for await (const batch of result.yieldRowObjectJs()) {
    rows += batch.length
    track.sample()
  }
  const m = track.done(rows, started)
  conn.closeSync()
  instance.closeSync()
  return m
}

async function run (args: string[]): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] })
  let out = ''
  child.stdout.on('data', (d: Buffer) => { out += d.toString() })
  const code = await new Promise(resolve => child.once('exit', resolve))
  if (code !== 0) throw new Error(`${args.join(' ')} exited with ${String(code)}`)
  return out
}

async function startEmulator (): Promise<{ url: string, stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'packages/snowflake-emulator/src/cli.ts', '--port', '0', '--no-demo'], {
    cwd: root, stdio: ['ignore', 'pipe', 'inherit']
  })
  const url = await new Promise<string>((resolve, reject) => {
    let out = ''
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString()
      if (out.includes('\n')) resolve(out.split('\n')[0]?.trim() ?? '')
    })
    child.once('exit', code => reject(new Error(`emulator exited with ${String(code)}`)))
  })
  return {
    url,
    stop: async () => {
      const exited = new Promise(resolve => child.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
    }
  }
}

const [mode, arg] = process.argv.slice(2)
if (mode === '--driver' && arg !== undefined) {
  console.log(JSON.stringify(await viaDriver(arg)))
} else if (mode === '--duckdb') {
  console.log(JSON.stringify(await viaDuckDb()))
} else {
  const emulator = await startEmulator()
  try {
    const driver = JSON.parse(await run([self, '--driver', emulator.url])) as Measurement
    const duckdb = JSON.parse(await run([self, '--duckdb'])) as Measurement
    console.log(`Streaming ${ROWS.toLocaleString('en-US')} rows (id, name)`)
    console.table({ 'snowflake-sdk via emulator': driver, 'DuckDB direct (baseline)': duckdb })
    console.log(`throughput ratio (driver / DuckDB): ${(driver.rowsPerSecond / duckdb.rowsPerSecond).toFixed(3)}`)
    console.log(`peak RSS ratio (driver / DuckDB): ${(driver.peakRssMb / duckdb.peakRssMb).toFixed(2)}`)
  } finally {
    await emulator.stop()
  }
}
