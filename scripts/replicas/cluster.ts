// The deployment under test: one emulator, one Redis of the run's own, three gateway processes started as
// in production (src/server.ts over the environment, one CURSOR_SECRET), and HAProxy in front of them.
import { createHash, randomBytes } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { FaultSpec, HistoryEntry } from 'snowflake-emulator'
import { freePort, startRedis } from '../../test/redis.js'
import { firstLine, startTs, track, waitUntil, type Child } from './children.js'
import { startHaproxy, type Balancer } from './haproxy.js'

/** The standalone emulator's command line, the one place this script names it. */
const emulatorCli = 'packages/snowflake-emulator/src/cli.ts'
const gatewayEntry = 'src/server.ts'

/** Longer than two failed readiness checks 500 ms apart: HAProxy has stopped sending before the listener closes. */
export const shutdownDelayMs = 3000
const startTimeoutMs = 90_000

export interface Tenant {
  name: string
  key: string
  rateLimit?: { max: number, windowSeconds: number }
}

interface Replica {
  name: string
  port: number
  child?: Child
}

export interface Cluster {
  balancer: Balancer
  replicas: readonly string[]
  /** Statements the emulator ran with this query tag, counting from the `since`-th entry of its log. */
  statements: (tag: string, since?: number) => Promise<HistoryEntry[]>
  queryCount: () => Promise<number>
  injectFault: (spec: Omit<FaultSpec, 'match'> & { match: string }) => Promise<void>
  /**
   * SIGTERM, wait for the exit (the replica drains), start it again, wait until HAProxy sends it traffic.
   * Answers the exit code and how long after the signal HAProxy saw it down, and it exited.
   */
  restartReplica: (name: string) => Promise<{ exitCode: number | null, downAfterMs: number, exitedAfterMs: number }>
  /** Kills the Redis every replica shares and, after `downMs`, starts it again on the same port. */
  restartRedis: (downMs: number) => Promise<void>
  close: () => Promise<void>
}

function tenantsYaml (tenants: Tenant[]): string {
  const sha256 = (key: string): string => createHash('sha256').update(key).digest('hex')
  return ['tenants:', ...tenants.map((tenant) => [
    `  - name: ${tenant.name}`,
    ...(tenant.rateLimit ? [`    rateLimit: { max: ${tenant.rateLimit.max}, windowSeconds: ${tenant.rateLimit.windowSeconds} }`] : []),
    `    keys: [{ id: ${tenant.name}, sha256: ${sha256(tenant.key)} }]`
  ].join('\n'))].join('\n') + '\n'
}

/** The emulator prints its URL as its first line. */
async function startEmulator (dir: string): Promise<{ child: Child, url: string }> {
  const child = startTs(emulatorCli, ['--port', '0', '--controls'], { logFile: join(dir, 'emulator.log'), stdout: 'pipe' })
  return { child, url: await firstLine(child) }
}

async function ready (port: number): Promise<boolean> {
  return (await fetch(`http://127.0.0.1:${port}/health/ready`)).status === 200
}

export async function startCluster (dir: string, tenants: Tenant[], replicaCount = 3): Promise<Cluster> {
  const redisPort = await freePort()
  let redis = track(await startRedis(redisPort))
  const emulator = await startEmulator(dir)
  const emulatorUrl = emulator.url
  const apiKeysFile = join(dir, 'tenants.yaml')
  await writeFile(apiKeysFile, tenantsYaml(tenants))
  const env: Record<string, string> = {
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    ACTIONS_DIR: 'test/fixtures/actions',
    API_KEYS_FILE: apiKeysFile,
    REDIS_URL: `redis://127.0.0.1:${redisPort}`,
    // One secret for every replica: a cursor or cache entry signed by one is good on the others.
    CURSOR_SECRET: randomBytes(24).toString('hex'),
    SNOWFLAKE_ACCOUNT: 'TESTACCT',
    SNOWFLAKE_USER: 'gateway',
    SNOWFLAKE_AUTHENTICATOR: 'SNOWFLAKE',
    SNOWFLAKE_PASSWORD: 'test-password',
    SNOWFLAKE_ACCESS_URL: emulatorUrl,
    SNOWFLAKE_WAREHOUSE: 'TEST_WH',
    SNOWFLAKE_DATABASE: 'ANALYTICS_DB',
    SNOWFLAKE_SCHEMA: 'PUBLIC',
    SNOWFLAKE_POOL_MAX: '4',
    // Tenants without a limit of their own must not meet one under the load.
    RATE_LIMIT_MAX: '1000000',
    // Three gateways, an emulator, HAProxy and the load share the machine: their work would count as each
    // gateway's event-loop delay and shed requests; shedding has tests of its own.
    LOAD_MAX_EVENT_LOOP_DELAY_MS: '0',
    // Likewise a Redis server waiting for a CPU past the default 50 ms would open a replica's breaker, and that
    // replica would go its own way (fail-open): the scenarios are about replicas sharing a Redis that answers.
    CACHE_TIMEOUT_MS: '500',
    SHUTDOWN_DELAY_MS: String(shutdownDelayMs),
    SHUTDOWN_GRACE_MS: '10000'
  }
  const replicas: Replica[] = []
  for (let i = 1; i <= replicaCount; i++) replicas.push({ name: `g${i}`, port: await freePort() })
  const launch = async (replica: Replica): Promise<void> => {
    const child = startTs(gatewayEntry, [], { env: { ...env, PORT: String(replica.port) }, logFile: join(dir, `${replica.name}.log`) })
    replica.child = child
    const exited = child.exited.then((code) => { throw new Error(`${replica.name} exited with ${String(code)} while starting (see ${dir}/${replica.name}.log)`) })
    await Promise.race([waitUntil(`${replica.name} ready`, async () => await ready(replica.port), startTimeoutMs), exited])
  }
  await Promise.all(replicas.map(launch))
  const balancer = await startHaproxy(dir, await freePort(), await freePort(), replicas)
  await Promise.all(replicas.map(async (r) => { await balancer.waitFor(r.name, 'UP', 10_000) }))

  const controls = async (path: string, init?: RequestInit): Promise<Response> => {
    const res = await fetch(`${emulatorUrl}/__emulator${path}`, init)
    if (!res.ok) throw new Error(`emulator ${path}: ${res.status}`)
    return res
  }
  const queryLog = async (): Promise<HistoryEntry[]> => ((await (await controls('/queries')).json()) as { queries: HistoryEntry[] }).queries
  return {
    balancer,
    replicas: replicas.map((r) => r.name),
    statements: async (tag, since = 0) => (await queryLog()).slice(since).filter((q) => q.queryTag === tag),
    queryCount: async () => (await queryLog()).length,
    injectFault: async (spec) => {
      await controls('/faults', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(spec) })
    },
    restartReplica: async (name) => {
      const replica = replicas.find((r) => r.name === name)
      if (!replica?.child) throw new Error(`no replica ${name}`)
      const signalled = Date.now()
      const down = balancer.waitFor(name, 'DOWN', 30_000).then(() => Date.now() - signalled)
      const exitCode = await replica.child.stop('SIGTERM')
      const exitedAfterMs = Date.now() - signalled
      const downAfterMs = await down
      await launch(replica)
      await balancer.waitFor(name, 'UP', 20_000)
      return { exitCode, downAfterMs, exitedAfterMs }
    },
    restartRedis: async (downMs) => {
      await redis.stop('SIGKILL')
      await new Promise((resolve) => setTimeout(resolve, downMs))
      redis = track(await startRedis(redisPort))
    },
    close: async () => {
      await balancer.child.stop()
      await Promise.all(replicas.map(async (r) => await r.child?.stop()))
      await redis.stop('SIGKILL')
      await emulator.child.stop()
    }
  }
}
