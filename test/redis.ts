import { spawn, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import { createClient } from '@keyv/redis'

export async function freePort (): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

/** A redis-server of the test's own, so it can be stopped and started again. */
export async function startRedis (port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' })
  const client = createClient({ url: `redis://127.0.0.1:${port}`, socket: { reconnectStrategy: false } })
  client.on('error', () => {})
  for (let i = 0; i < 100; i++) {
    try {
      await client.connect()
      await client.quit()
      return child
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }
  throw new Error('redis-server did not start')
}

export async function stopRedis (child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return
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
