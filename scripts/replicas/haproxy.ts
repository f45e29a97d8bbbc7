// HAProxy in front of the replicas, as an operator would run it: readiness checks often enough to see a
// replica drain, and retries only where a request cannot have reached a gateway.
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { start, waitUntil, type Child } from './children.js'

export interface Backend {
  name: string
  port: number
}

export interface Balancer {
  url: string
  child: Child
  /** Each backend's state as HAProxy sees it: `UP`, `DOWN`, `MAINT`, `UP 1/2` while rising… */
  states: () => Promise<Map<string, string>>
  waitFor: (name: string, state: 'UP' | 'DOWN', timeoutMs: number) => Promise<void>
}

/** Response header naming the replica that answered. */
export const servedBy = 'x-served-by'
/** Request header that sends a request to one named replica (while it is up), to hand a cursor from one to the next. */
export const pinTo = 'x-replica'

function config (port: number, statsPort: number, backends: Backend[]): string {
  return `global
  maxconn 2000

defaults
  mode http
  timeout connect 2s
  timeout client 60s
  timeout server 60s
  timeout http-keep-alive 10s
  # A connection that could not be made is retried, on another replica (redispatch). Nothing else is:
  # a POST that reached a gateway may have run its statement and is never sent twice.
  retries 3
  retry-on conn-failure
  option redispatch 1

frontend stats
  bind 127.0.0.1:${statsPort}
  stats enable
  stats uri /stats

frontend gateway
  bind 127.0.0.1:${port}
  default_backend gateways

backend gateways
  balance roundrobin
  option httpchk
  http-check send meth GET uri /health/ready
  http-check expect status 200
  # Two failed checks 500 ms apart take a draining replica out, well inside its SHUTDOWN_DELAY_MS.
  default-server check inter 500 fall 2 rise 2
${backends.map((b) => `  use-server ${b.name} if { req.hdr(${pinTo}) -m str ${b.name} }`).join('\n')}
  http-response set-header ${servedBy} %s
${backends.map((b) => `  server ${b.name} 127.0.0.1:${b.port}`).join('\n')}
`
}

/** Parses HAProxy's CSV statistics into each backend server's status. */
async function serverStates (statsUrl: string): Promise<Map<string, string>> {
  const csv = await (await fetch(statsUrl)).text()
  const [header = '', ...rows] = csv.trim().split('\n')
  const columns = header.replace(/^# /, '').split(',')
  const at = (name: string): number => columns.indexOf(name)
  const states = new Map<string, string>()
  for (const row of rows) {
    const cells = row.split(',')
    if (cells[at('pxname')] === 'gateways' && cells[at('svname')] !== 'BACKEND') {
      states.set(cells[at('svname')] ?? '', cells[at('status')] ?? '')
    }
  }
  return states
}

/** Writes the configuration to `dir` and runs HAProxy in the foreground as a child. */
export async function startHaproxy (dir: string, port: number, statsPort: number, backends: Backend[]): Promise<Balancer> {
  const file = join(dir, 'haproxy.cfg')
  await writeFile(file, config(port, statsPort, backends))
  const child = start('haproxy', ['-f', file, '-db'], { logFile: join(dir, 'haproxy.log') })
  const statsUrl = `http://127.0.0.1:${statsPort}/stats;csv`
  const states = async (): Promise<Map<string, string>> => await serverStates(statsUrl)
  await waitUntil('HAProxy answering', async () => (await states()).size === backends.length, 10_000)
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    states,
    waitFor: async (name, state, timeoutMs) => {
      await waitUntil(`HAProxy seeing ${name} ${state}`, async () => (await states()).get(name) === state, timeoutMs)
    }
  }
}
