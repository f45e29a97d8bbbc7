// npm run bench [-- --only <row>[,<row>…]]: every row of issue 12's benchmark table, each gateway path against
// the baseline that does the least work for the same answer, measured in the same run in interleaved rounds,
// every side in its own process. Ends with one table of ratios and targets. Rows: see ROWS, or bench/README.md.
import { parseArgs } from 'node:util'
import { measureBreakdown } from './breakdown.js'
import { startServer } from './children.js'
import { measureExecute } from './execute.js'
import { HIT_CASES, measureHits, type HitCase } from './hits.js'
import { measureHung } from './hung.js'
import { measureMiss } from './miss.js'
import { printTargets, type TargetRow } from './report.js'
import { BENCH_REDIS_URL, knobs, POOL_SIZE, STREAM_ROWS } from './shared.js'
import { measureStream, TABLE_ROWS } from './stream.js'
import { writeTenantsFile } from './tenants.js'

const ROWS = [...HIT_CASES, 'miss', 'execute', 'statements', 'stream', 'hung'] as const
/** Diagnostics, run only when asked for by name: they explain a row, they are not one. */
const DIAGNOSTICS = ['breakdown'] as const
type Row = typeof ROWS[number] | typeof DIAGNOSTICS[number]

const { values } = parseArgs({ options: { only: { type: 'string' } } })
const only = values.only ?? process.env.BENCH_ONLY
const rowOf = (name: string): Row => {
  if (![...ROWS, ...DIAGNOSTICS].includes(name as Row)) throw new Error(`--only ${name}: not a row; the rows are ${ROWS.join(', ')}, and the diagnostic ${DIAGNOSTICS.join(', ')}`)
  return name as Row
}
const wanted = new Set<Row>(only === undefined ? ROWS : only.split(',').map(rowOf))

// Each row sets the gateway's auth and rate limits itself; none may leak in from the caller's shell.
for (const name of ['API_KEYS_FILE', 'RATE_LIMIT_MAX', 'RATE_LIMIT_WINDOW_SECONDS', 'REDIS_URL']) Reflect.deleteProperty(process.env, name)

const started = performance.now()
const rows: TargetRow[] = []
/** A row that fails to measure is reported as not met, and the others still run. */
async function section (name: string, measure: () => Promise<TargetRow[]>): Promise<void> {
  console.log(`\n## ${name}`)
  try {
    rows.push(...await measure())
  } catch (err) {
    console.error(err)
    rows.push({ path: name, baseline: '-', gateway: '-', baselineFigure: '-', ratio: `failed: ${(err as Error).message}`, target: '-', met: false })
  }
}

const tenant = await writeTenantsFile()
const emulator = await startServer('packages/snowflake-emulator/src/cli.ts', ['--port', '0', '--controls', '--big-table-rows', String(TABLE_ROWS)])
try {
  console.log(`emulator ${emulator.url} (${TABLE_ROWS.toLocaleString('en-US')} event rows); Redis ${BENCH_REDIS_URL}; pool ${POOL_SIZE}; ` +
    `${knobs.concurrency} callers; ${knobs.rounds} rounds of ${knobs.roundMs / 1000} s per side (${knobs.firstWarmupMs / 1000} s warm-up first, ` +
    `${knobs.warmupMs / 1000} s before later windows); rows: ${[...wanted].join(', ')}`)
  const hitCases = HIT_CASES.filter((c): c is HitCase => wanted.has(c))
  if (hitCases.length > 0) await section(`cache hits (${hitCases.join(', ')}) vs the Redis floor`, async () => await measureHits(emulator.url, tenant, hitCases))
  if (wanted.has('miss')) await section('miss, time to first page vs a bare driver handler', async () => await measureMiss(emulator.url))
  if (wanted.has('execute') || wanted.has('statements')) {
    await section('execute, cache off vs a bare driver handler; statements per execution',
      async () => await measureExecute(emulator.url, { execute: wanted.has('execute'), statements: wanted.has('statements') }))
  }
  if (wanted.has('stream')) await section(`NDJSON stream of ${STREAM_ROWS.toLocaleString('en-US')} rows vs driver streamRows()`, async () => await measureStream(emulator.url))
  if (wanted.has('breakdown')) {
    console.log('\n## breakdown: CPU per answer of a page-1 hit, step by step (diagnostic, no target)')
    await measureBreakdown(emulator.url)
  }
  if (wanted.has('hung')) await section('cached action while Redis is hung vs cache off with Redis healthy', async () => await measureHung(emulator.url))

  // A run of diagnostics alone has no targets to print.
  if (rows.length > 0) {
    console.log(`\n## Targets (ratio = gateway / baseline; ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${Math.round((performance.now() - started) / 1000)} s)\n`)
    printTargets(rows)
  }
} finally {
  await emulator.stop()
  await tenant.remove()
}
