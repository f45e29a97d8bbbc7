import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { promisify } from 'node:util'
import { createClient } from '@keyv/redis'

const run = promisify(execFile)

export async function freePort (): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

/** A redis-server of the test's own, so it can be stopped and started again; `args` add to its settings. */
export async function startRedis (port: number, args: string[] = []): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...args], { stdio: 'ignore' })
  await answersPing(port)
  return child
}

async function answersPing (port: number): Promise<void> {
  const client = createClient({ url: `redis://127.0.0.1:${port}`, socket: { reconnectStrategy: false } })
  client.on('error', () => {})
  for (let i = 0; i < 100; i++) {
    try {
      await client.connect()
      await client.ping()
      // Not QUIT: a Sentinel of Redis 7.0 does not know it.
      client.destroy()
      return
    } catch {
      await sleep(50)
    }
  }
  throw new Error(`redis-server on ${port} did not start`)
}

/** What `redis-cli -p <port> <args…>` prints. */
export async function redisCli (port: number, ...args: string[]): Promise<string> {
  const { stdout } = await run('redis-cli', ['-p', String(port), ...args])
  return stdout.trim()
}

/**
 * A Sentinel of the test's own (Debian's redis-server in sentinel mode) watching `masterPort` as `mymaster`,
 * quick to act: the master is down after 1 s without an answer, and its one vote is a quorum. The
 * configuration lives in `dir`, as a Sentinel rewrites it.
 */
export async function startSentinel (port: number, masterPort: number, dir: string): Promise<ChildProcess> {
  const file = join(dir, `sentinel-${port}.conf`)
  await writeFile(file, [
    `port ${port}`,
    'bind 127.0.0.1',
    `dir ${dir}`,
    `sentinel monitor mymaster 127.0.0.1 ${masterPort} 1`,
    'sentinel down-after-milliseconds mymaster 1000',
    'sentinel failover-timeout mymaster 10000',
    ''
  ].join('\n'))
  const child = spawn('redis-server', [file, '--sentinel'], { stdio: 'ignore' })
  await answersPing(port)
  return child
}

/** A Redis Cluster of `masters` servers of the test's own, its slots spread over them, once every node says it is ok. */
export async function startCluster (masters: number, dir: string): Promise<{ ports: number[], servers: ChildProcess[] }> {
  const ports: number[] = []
  const servers: ChildProcess[] = []
  for (let i = 0; i < masters; i++) {
    const port = await freePort()
    // The bus on a free port of its own: port + 10000, the default, may be taken or past 65535.
    servers.push(await startRedis(port, ['--cluster-enabled', 'yes', '--cluster-port', String(await freePort()),
      '--cluster-config-file', `nodes-${port}.conf`, '--cluster-node-timeout', '2000', '--dir', dir]))
    ports.push(port)
  }
  await run('redis-cli', ['--cluster', 'create', ...ports.map((port) => `127.0.0.1:${port}`), '--cluster-yes'])
  for (let i = 0; ; i++) {
    const states = await Promise.all(ports.map(async (port) => await redisCli(port, 'cluster', 'info')))
    if (states.every((info) => info.includes('cluster_state:ok'))) return { ports, servers }
    if (i > 200) throw new Error('the Cluster did not come up')
    await sleep(50)
  }
}

export async function stopRedis (child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise((resolve) => child.once('exit', resolve))
  child.kill('SIGKILL')
  await exited
}

/** The shared Redis the tests use: 127.0.0.1:6379, or TEST_REDIS_PORT's, so parallel checkouts need not share one. */
export function sharedRedisUrl (db: number): string {
  return `redis://127.0.0.1:${process.env.TEST_REDIS_PORT ?? 6379}/${db}`
}

/** Empties one database of the shared Redis before a test uses it. */
export async function flushDb (db: number): Promise<void> {
  const client = createClient({ url: sharedRedisUrl(db) })
  await client.connect()
  await client.flushDb()
  await client.quit()
}
