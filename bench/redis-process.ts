// A redis-server of the bench's own, on a free port, for the hung-Redis row: only a Redis the bench started may be
// stopped (SIGSTOP). It is killed with the bench however the bench ends (children.ts resumes it first).
import { createServer } from 'node:net'
import { createClient } from '@keyv/redis'
import { spawnChild } from './children.js'

export interface OwnRedis {
  url: string
  /** SIGSTOP: the process is frozen with its sockets open, so clients' commands go unanswered (a hung Redis). */
  hang: () => void
  resume: () => void
  stop: () => Promise<void>
}

async function freePort (): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port')))
    })
  })
}

async function answers (port: number): Promise<boolean> {
  const client = createClient({ url: `redis://127.0.0.1:${port}`, socket: { reconnectStrategy: false } })
  client.on('error', () => {})
  try {
    await client.connect()
    return await client.ping() === 'PONG'
  } catch {
    return false
  } finally {
    if (client.isOpen) await client.close()
  }
}

export async function startOwnRedis (): Promise<OwnRedis> {
  const port = await freePort()
  const { child, exited } = spawnChild('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'])
  for (let tries = 0; !await answers(port); tries++) {
    if (child.exitCode !== null || tries > 50) throw new Error(`redis-server on port ${port} did not start`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    hang: () => { child.kill('SIGSTOP') },
    resume: () => { child.kill('SIGCONT') },
    stop: async () => {
      child.kill('SIGCONT')
      child.kill('SIGKILL')
      await exited
    }
  }
}
