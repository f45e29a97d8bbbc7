// npm run replicas: three gateways behind HAProxy on one Redis and one emulator, under a bounded load.
// Prints each scenario's figures and exits 1 when a claim does not hold. The children's logs stay in the
// printed directory when something fails.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startCluster } from './replicas/cluster.js'
import {
  concurrentMisses, cursorAcrossReplicas, rateLimitsHold, redisRestart, rollingRestart, tenants, type Figures
} from './replicas/scenarios.js'

function table (rows: Figures[]): string {
  const columns: Array<[string, (f: Figures) => string]> = [
    ['scenario', (f) => f.scenario],
    ['requests', (f) => String(f.requests)],
    ['failures', (f) => String(f.failures)],
    ['statements', (f) => String(f.statements)],
    ['ratio', (f) => f.ratio],
    ['held', (f) => f.held ? 'yes' : 'NO']
  ]
  const cells = [columns.map(([title]) => title), ...rows.map((row) => columns.map(([, cell]) => cell(row)))]
  const widths = columns.map((_, i) => Math.max(...cells.map((line) => (line[i] ?? '').length)))
  const line = (values: string[]): string => `| ${values.map((v, i) => v.padEnd(widths[i] ?? 0)).join(' | ')} |`
  return [line(cells[0] ?? []), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.slice(1).map(line)].join('\n')
}

const dir = await mkdtemp(join(tmpdir(), 'gateway-replicas-'))
const started = Date.now()
console.log(`replicas: starting 3 gateways, HAProxy, Redis and the emulator (logs in ${dir})`)
const cluster = await startCluster(dir, tenants)
console.log(`replicas: up in ${((Date.now() - started) / 1000).toFixed(1)} s; HAProxy on ${cluster.balancer.url}`)

const scenarios = [
  async () => await rateLimitsHold(cluster),
  async () => await concurrentMisses(cluster),
  async () => await cursorAcrossReplicas(cluster, 'cached-customers', 'cached (Redis)'),
  async () => await cursorAcrossReplicas(cluster, 'customers-paged', 'uncached (query id)'),
  async () => await rollingRestart(cluster),
  async () => await redisRestart(cluster)
]
const results: Figures[] = []
for (const scenario of scenarios) {
  const figures = await scenario()
  results.push(figures)
  console.log(`${figures.held ? 'ok' : 'NOT OK'} - ${figures.scenario}: ${figures.claim}\n    ${figures.ratio}; ${figures.detail}`)
}
await cluster.close()

console.log(`\n${table(results)}\n`)
const failed = results.filter((f) => !f.held)
console.log(`replicas: ${results.length - failed.length} of ${results.length} claims held in ${((Date.now() - started) / 1000).toFixed(0)} s`)
if (failed.length > 0) {
  console.log(`replicas: logs kept in ${dir}`)
  process.exit(1)
}
await rm(dir, { recursive: true, force: true })
