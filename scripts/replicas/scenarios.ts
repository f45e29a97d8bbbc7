// What the replicas must show together. Each scenario answers its figures and whether its claim held.
import type { Cluster, Tenant } from './cluster.js'
import { pinTo } from './haproxy.js'
import { count, replicaOf, sendAll, startLoad, type Answer, type Call, type LoadFigures } from './load.js'

export interface Figures {
  scenario: string
  requests: number
  failures: number
  statements: number
  /** The figure the claim is about, e.g. `30/30 accepted`. */
  ratio: string
  claim: string
  held: boolean
  detail: string
}

export const rateLimit = { max: 30, windowSeconds: 60 }
export const tenants: Tenant[] = [
  { name: 'load', key: 'replicas-load-key-0123456789' },
  { name: 'limited', key: 'replicas-limited-key-0123456789', rateLimit }
]
const auth = (tenant: Tenant): Record<string, string> => ({ authorization: `Bearer ${tenant.key}` })
const [loadTenant, limitedTenant] = tenants as [Tenant, Tenant]

const execute = (id: string, body: unknown, headers: Record<string, string> = {}): Call =>
  ({ path: `/v1/actions/${id}/execute`, body, headers: { ...auth(loadTenant), ...headers } })
const pause = async (ms: number): Promise<void> => { await new Promise((resolve) => setTimeout(resolve, ms)) }
const describe = (counts: Record<string, number>): string =>
  Object.entries(counts).sort().map(([key, n]) => `${key} ${n}`).join(', ')
/** How many answers have each value of `of`: `g1 30, g2 30, g3 30`. */
const spread = (answers: Answer[], of: (answer: Answer) => string = replicaOf): string => {
  const counts: Record<string, number> = {}
  for (const answer of answers) count(counts, of(answer))
  return describe(counts)
}
const cacheOf = (answer: Answer): string => String(answer.headers['x-cache'] ?? '-')

/** Three times the tenant's limit, spread over the replicas: only the limit is let through, counted once in Redis. */
export async function rateLimitsHold (cluster: Cluster): Promise<Figures> {
  const before = await cluster.queryCount()
  const calls = Array.from({ length: rateLimit.max * 3 }, () => ({ ...execute('cached-customers', {}), headers: auth(limitedTenant) }))
  const answers = await sendAll(cluster.balancer.url, calls, 6)
  const accepted = answers.filter((a) => a.status === 200).length
  const limited = answers.filter((a) => a.status === 429).length
  const failures = answers.length - accepted - limited
  const replicas = new Set(answers.map(replicaOf))
  return {
    scenario: 'rate limit across replicas',
    requests: answers.length,
    failures,
    statements: (await cluster.statements('cached-customers:1', before)).length,
    ratio: `${accepted}/${rateLimit.max} accepted`,
    claim: `exactly ${rateLimit.max} of ${answers.length} accepted, the rest 429, on ${cluster.replicas.length} replicas`,
    held: accepted === rateLimit.max && failures === 0 && replicas.size === cluster.replicas.length,
    detail: `429: ${limited}; answered by ${spread(answers)}; X-Cache ${spread(answers.filter((a) => a.status === 200), cacheOf)}`
  }
}

/** Identical concurrent misses reaching every replica share one statement, through the lock in Redis. */
export async function concurrentMisses (cluster: Cluster): Promise<Figures> {
  const callers = 50
  // The statement takes long enough that every caller arrives while it runs.
  await cluster.injectFault({ match: 'CUSTOMER_ID <= \\?', times: 1, latencyMs: 1500 })
  const before = await cluster.queryCount()
  const call = execute('cached-customers', { variables: { lastId: 'C000077' } })
  const answers = await sendAll(cluster.balancer.url, Array.from({ length: callers }, () => call), callers)
  const statements = (await cluster.statements('cached-customers:1', before)).length
  const ok = answers.filter((a) => a.status === 200)
  const queryIds = new Set(ok.map((a) => (JSON.parse(a.body) as { queryId: string }).queryId))
  const replicas = new Set(answers.map(replicaOf))
  return {
    scenario: `${callers} identical concurrent misses`,
    requests: answers.length,
    failures: answers.length - ok.length,
    statements,
    ratio: `${statements} statement/${answers.length}`,
    claim: `1 statement for ${callers} callers on ${cluster.replicas.length} replicas, one queryId`,
    held: statements === 1 && ok.length === callers && queryIds.size === 1 && replicas.size === cluster.replicas.length,
    detail: `answered by ${spread(answers)}; X-Cache ${spread(answers, cacheOf)}; queryIds ${queryIds.size}`
  }
}

interface Page {
  rows: Array<{ CUSTOMER_ID: string }>
  page: { nextCursor: string | null }
}

/** A cursor minted by one replica continues on the next: every page is asked of another replica than the last. */
export async function cursorAcrossReplicas (cluster: Cluster, action: string, how: string): Promise<Figures> {
  const before = await cluster.queryCount()
  const lastId = 'C000100'
  const ids: string[] = []
  const order: string[] = []
  let failures = 0
  let cursor: string | null = null
  let requests = 0
  do {
    const pinned = cluster.replicas[requests % cluster.replicas.length] as string
    const page: { page: Record<string, unknown>, variables?: Record<string, string> } =
      cursor === null ? { variables: { lastId }, page: { size: 10 } } : { page: { cursor } }
    const [answer] = await sendAll(cluster.balancer.url, [execute(action, page, { [pinTo]: pinned })], 1)
    requests++
    if (!answer || answer.status !== 200 || replicaOf(answer) !== pinned) {
      failures++
      break
    }
    order.push(replicaOf(answer))
    const body = JSON.parse(answer.body) as Page
    ids.push(...body.rows.map((r) => r.CUSTOMER_ID))
    cursor = body.page.nextCursor
  } while (cursor !== null && requests < 20)
  const expected = Array.from({ length: 100 }, (_, i) => `C${String(i + 1).padStart(6, '0')}`)
  const whole = ids.length === expected.length && ids.every((id, i) => id === expected[i])
  const statements = (await cluster.statements(`${action}:1`, before)).length
  return {
    scenario: `cursor across replicas, ${how}`,
    requests,
    failures,
    statements,
    ratio: `${order.length - 1}/${requests - 1} pages on another replica`,
    claim: 'each page from another replica than the one that minted its cursor; 100 rows in order',
    held: failures === 0 && whole && order.every((name, i) => i === 0 || name !== order[i - 1]),
    detail: `pages ${order.join(' → ')}; rows ${ids.length}`
  }
}

/** The load: three in four calls a cached action over a few keys (hits), one in four an uncached one (a statement each). */
function mixed (n: number): Call {
  if (n % 4 === 0) return execute('customers-paged', { variables: { lastId: `C0000${10 + (n % 90)}` } })
  return execute('cached-customers', { variables: { lastId: `C0001${String(n % 20).padStart(2, '0')}` } })
}
const concurrency = 8

async function underLoad<T> (cluster: Cluster, disturb: () => Promise<T>): Promise<{ figures: LoadFigures, statements: number, disturbed: T }> {
  const before = await cluster.queryCount()
  const load = startLoad(cluster.balancer.url, concurrency, mixed)
  await pause(2000)
  const disturbed = await disturb()
  await pause(2000)
  const figures = await load.stop()
  const statements = (await cluster.statements('customers-paged:1', before)).length + (await cluster.statements('cached-customers:1', before)).length
  return { figures, statements, disturbed }
}

const failureRatio = (f: LoadFigures): string => `${f.failures}/${f.requests} failed`
const failed = (f: LoadFigures): string =>
  f.failures > 0 ? `; failing for ${(f.failingMs / 1000).toFixed(1)} s: ${describe(f.failed)}` : ''

/** SIGTERM one replica at a time under load; HAProxy sees it drain, sends elsewhere, and takes it back once it is up. */
export async function rollingRestart (cluster: Cluster): Promise<Figures> {
  const { figures, statements, disturbed: restarts } = await underLoad(cluster, async () => {
    const restarts: Array<{ name: string, exitCode: number | null, downAfterMs: number, exitedAfterMs: number, backAfterMs: number }> = []
    for (const name of cluster.replicas) {
      const started = Date.now()
      const restart = await cluster.restartReplica(name)
      restarts.push({ name, ...restart, backAfterMs: Date.now() - started })
      await pause(1000)
    }
    return restarts
  })
  const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`
  return {
    scenario: 'rolling restart under load',
    requests: figures.requests,
    failures: figures.failures,
    statements,
    ratio: failureRatio(figures),
    claim: `0 failed requests while each of ${cluster.replicas.length} replicas restarts in turn (${concurrency} callers), HAProxy seeing each down before it exits`,
    held: figures.failures === 0 && restarts.every((r) => r.exitCode === 0 && r.downAfterMs < r.exitedAfterMs),
    detail: `${restarts.map((r) => `${r.name} down after ${seconds(r.downAfterMs)}, exit ${String(r.exitCode)} after ${seconds(r.exitedAfterMs)}, back after ${seconds(r.backAfterMs)}`).join('; ')}; answered by ${describe(figures.replicas)}${failed(figures)}`
  }
}

/** Redis killed and started again under load: the cache and the limits fail open, no request fails. */
export async function redisRestart (cluster: Cluster): Promise<Figures> {
  const downMs = 3000
  const { figures, statements } = await underLoad(cluster, async () => { await cluster.restartRedis(downMs) })
  const bypassed = figures.cache['cached-customers BYPASS'] ?? 0
  return {
    scenario: 'Redis restarted under load',
    requests: figures.requests,
    failures: figures.failures,
    statements,
    ratio: failureRatio(figures),
    claim: `0 failed requests while Redis is away ${downMs / 1000} s (cached calls bypass the cache)`,
    held: figures.failures === 0 && bypassed > 0,
    detail: `${describe(figures.cache)}; answered by ${describe(figures.replicas)}${failed(figures)}`
  }
}

export interface Scenario {
  /** For `npm run replicas -- <name>…`, to run some of them. */
  name: string
  run: (cluster: Cluster) => Promise<Figures>
}

export const scenarios: Scenario[] = [
  { name: 'rate-limit', run: rateLimitsHold },
  { name: 'misses', run: concurrentMisses },
  { name: 'cursor-cached', run: async (cluster) => await cursorAcrossReplicas(cluster, 'cached-customers', 'cached (Redis)') },
  { name: 'cursor-uncached', run: async (cluster) => await cursorAcrossReplicas(cluster, 'customers-paged', 'uncached (query id)') },
  { name: 'rolling-restart', run: rollingRestart },
  { name: 'redis-restart', run: redisRestart }
]
