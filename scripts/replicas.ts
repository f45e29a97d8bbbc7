// npm run replicas [-- scenario…]: three gateways behind HAProxy on one Redis and one emulator, under a bounded load.
// Prints each scenario's figures and exits 1 when a claim does not hold. The children's logs stay in the
// printed directory when something fails.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startCluster } from './replicas/cluster.js'
import { scenarios, tenants, type Figures } from './replicas/scenarios.js'

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

const names = process.argv.slice(2)
const unknown = names.filter((name) => !scenarios.some((s) => s.name === name))
if (unknown.length > 0) {
  console.error(`unknown scenario ${unknown.join(', ')}; scenarios: ${scenarios.map((s) => s.name).join(', ')}`)
  process.exit(2)
}
const chosen = names.length > 0 ? scenarios.filter((s) => names.includes(s.name)) : scenarios

// A hung child or balancer must not hold CI: the whole run takes about two minutes.
setTimeout(() => {
  console.error('replicas: not done after 8 minutes, giving up')
  process.exit(1)
}, 8 * 60_000).unref()

const dir = await mkdtemp(join(tmpdir(), 'gateway-replicas-'))
const started = Date.now()
console.log(`replicas: starting 3 gateways, HAProxy, Redis and the emulator (logs in ${dir})`)
const cluster = await startCluster(dir, tenants)
console.log(`replicas: up in ${((Date.now() - started) / 1000).toFixed(1)} s; HAProxy on ${cluster.balancer.url}`)

const results: Figures[] = []
for (const scenario of chosen) {
  const figures = await scenario.run(cluster).catch((err: unknown): Figures => ({
    scenario: scenario.name, requests: 0, failures: 0, statements: 0, ratio: '-', claim: 'ran to its end', held: false, detail: String(err)
  }))
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
