import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import t from 'tap'
import { parse as parseYaml, stringify } from 'yaml'
import { emulator, gateway } from '../helper.js'

const run = promisify(execFile)
const dashboardFile = 'deploy/grafana/gateway-dashboard.json'
const rulesFile = 'deploy/prometheus/gateway-rules.yaml'

interface Target { refId: string, expr: string, datasource?: unknown }
interface Panel { id: number, type: string, title: string, datasource?: unknown, targets?: Target[], gridPos?: unknown }
interface Dashboard { uid: string, title: string, panels: Panel[], templating: { list: Array<{ name: string, query?: unknown }> } }
interface Rules { groups: Array<{ name: string, rules: Array<{ alert?: string, record?: string, expr: string }> }> }

const dashboard = JSON.parse(await readFile(dashboardFile, 'utf8')) as Dashboard
const rules = parseYaml(await readFile(rulesFile, 'utf8')) as Rules

/** Grafana's variables, given values Prometheus can parse. */
const withVariablesSet = (expr: string): string => expr
  .replaceAll('$__rate_interval', '5m').replaceAll('$__range', '1h').replaceAll('$action', '.*')

const functionsAndKeywords = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'and', 'or', 'unless', 'offset', 'inf', 'nan'])

/** The metric names a PromQL expression reads: identifiers that are not functions, keywords, labels or durations. */
function metricNames (expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '')
    .replace(/\[[^\]]*\]/g, '')
  return [...bare.matchAll(/([a-zA-Z_:][\w:]*)(\s*\()?/g)]
    .filter((match) => match[2] === undefined && !functionsAndKeywords.has(match[1]?.toLowerCase() ?? ''))
    .map((match) => match[1] ?? '')
}

/** Every sample name a scrape offers: each family's own, and a histogram's _bucket, _sum and _count. */
function exportedNames (exposition: string): Set<string> {
  const names = new Set<string>()
  for (const [, name, type] of exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    if (!name) continue
    names.add(name)
    if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(name + suffix)
    if (type === 'summary') for (const suffix of ['_sum', '_count']) names.add(name + suffix)
  }
  return names
}

const dashboardExprs = dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((target) => ({ where: `panel "${panel.title}" ${target.refId}`, expr: target.expr })))
const ruleExprs = rules.groups.flatMap((group) => group.rules.map((rule) => ({ where: `rule ${rule.alert ?? rule.record ?? ''}`, expr: rule.expr })))

t.test('every metric the dashboard and the alert rules name is one a running gateway exports', async (t) => {
  const warehouse = await emulator(t)
  const gw = await gateway(t, warehouse)
  const exported = exportedNames(await (await gw.get('/metrics')).text())
  // Prometheus' own, for each scrape.
  exported.add('up')
  t.ok(exported.has('gateway_snowflake_cloud_services_credits_total') && exported.has('gateway_ready'), 'the scrape is the gateway\'s')
  t.ok(dashboardExprs.length > 10 && ruleExprs.length > 5)
  const variables = dashboard.templating.list.map((variable) => JSON.stringify(variable.query ?? ''))
  const named = [...dashboardExprs, ...ruleExprs, ...variables.map((query) => ({ where: 'a dashboard variable', expr: /label_values\((\w+)/.exec(query)?.[1] ?? '' }))]
  for (const { where, expr } of named) {
    const names = metricNames(withVariablesSet(expr))
    if (where !== 'a dashboard variable') t.ok(names.length > 0, `${where} reads a metric`)
    for (const name of names) t.ok(exported.has(name), `${where}: ${name} is exported`)
  }
  t.same(metricNames('sum by (le, action) (rate(gatway_typo_total{action=~"x"}[5m])) / up'), ['gatway_typo_total', 'up'], 'the name finder finds names, and only names')
})

t.test('the dashboard is one Grafana can import', async (t) => {
  t.equal(dashboard.uid, 'cxone-snowflake-gateway')
  const ids = dashboard.panels.map((panel) => panel.id)
  t.equal(new Set(ids).size, ids.length, 'panel ids are unique')
  t.ok(dashboard.templating.list.some((variable) => variable.name === 'datasource'), 'the Prometheus data source is a variable')
  for (const panel of dashboard.panels.filter((p) => p.type !== 'row')) {
    t.ok(panel.gridPos, `${panel.title} has a place`)
    t.same(panel.datasource, { type: 'prometheus', uid: '${datasource}' }, `${panel.title} reads the chosen data source`) // eslint-disable-line no-template-curly-in-string
    t.ok((panel.targets ?? []).length > 0, `${panel.title} has a query`)
  }
  const titles = dashboard.panels.map((panel) => panel.title).join('\n')
  for (const asked of [/Requests \/ s by action/, /p50 by action/, /p99 by action/, /Cache hit ratio/, /Statement time/, /Bytes scanned/, /Retries/, /Pool: waiting/, /Rate-limited/, /Shed/, /credits by action/i]) {
    t.match(titles, asked, `a panel for ${asked.source}`)
  }
})

const promtool = await run('promtool', ['--version']).then(() => true, () => false)
const noPromtool = promtool ? false : 'promtool is not installed (Debian package prometheus; .ci/run installs it): the rules and queries were not checked by Prometheus'

t.test('promtool accepts the rules, and their unit tests pass', { skip: noPromtool }, async (t) => {
  const check = await run('promtool', ['check', 'rules', rulesFile])
  t.match(check.stdout, /SUCCESS: \d+ rules found/)
  const unit = await run('promtool', ['test', 'rules', 'deploy/prometheus/gateway-rules.test.yaml'])
  t.match(unit.stdout, /SUCCESS/)
  const alerts = rules.groups.flatMap((group) => group.rules.map((rule) => rule.alert))
  const tested = await readFile('deploy/prometheus/gateway-rules.test.yaml', 'utf8')
  for (const alert of alerts) t.match(tested, `alertname: ${alert ?? ''}`, `${alert ?? ''} has a unit test`)
})

t.test('promtool parses every dashboard query, and refuses a broken one', { skip: noPromtool }, async (t) => {
  const asRules = (exprs: string[]): string => stringify({ groups: [{ name: 'dashboard', rules: exprs.map((expr, i) => ({ record: `dashboard:query_${i}`, expr })) }] })
  const dir = t.testdir({
    'queries.yaml': asRules(dashboardExprs.map(({ expr }) => withVariablesSet(expr))),
    'broken.yaml': asRules(['sum by (action (rate(gateway_ready[5m]))'])
  })
  const check = await run('promtool', ['check', 'rules', join(dir, 'queries.yaml')])
  t.match(check.stdout, new RegExp(`SUCCESS: ${dashboardExprs.length} rules found`))
  const broken = await run('promtool', ['check', 'rules', join(dir, 'broken.yaml')]).then(() => 'accepted', (err: { stderr: string }) => err.stderr)
  t.match(broken, /parse error/, 'the check can fail')
})
