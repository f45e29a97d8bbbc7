// Requests through the balancer: one at a time, or a bounded closed-loop load (each caller sends its next
// request when the last one is answered) over keep-alive sockets, counting every answer that is not a 200.
import { Agent, request, type IncomingHttpHeaders } from 'node:http'
import { servedBy } from './haproxy.js'

export interface Answer {
  status: number
  headers: IncomingHttpHeaders
  body: string
}

export interface Call {
  path: string
  body: unknown
  headers?: Record<string, string>
}

export async function send (agent: Agent, baseUrl: string, call: Call): Promise<Answer> {
  const body = JSON.stringify(call.body)
  return await new Promise((resolve, reject) => {
    const req = request(new URL(call.path, baseUrl), {
      method: 'POST',
      agent,
      headers: { ...call.headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }
    }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => { text += chunk })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(body)
  })
}

/** Which replica answered, as HAProxy names it. */
export const replicaOf = (answer: Answer): string => String(answer.headers[servedBy] ?? '?')

/** Sends every call, `concurrency` at a time, each caller on its own keep-alive socket; answers in call order. */
export async function sendAll (baseUrl: string, calls: Call[], concurrency: number): Promise<Answer[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency })
  const answers: Answer[] = []
  let next = 0
  await Promise.all(Array.from({ length: concurrency }, async () => {
    for (let i = next++; i < calls.length; i = next++) answers[i] = await send(agent, baseUrl, calls[i] as Call)
  }))
  agent.destroy()
  return answers
}

export interface LoadFigures {
  requests: number
  failures: number
  /** Answers per replica. */
  replicas: Record<string, number>
  /** Answers per action and `X-Cache` value (`cached-customers HIT`). */
  cache: Record<string, number>
  /** Failures by kind: the status and the start of the body, or the connection error. */
  failed: Record<string, number>
  /** From the first failure to the last. */
  failingMs: number
}

export const count = (counts: Record<string, number>, key: string): void => { counts[key] = (counts[key] ?? 0) + 1 }

/** Starts `concurrency` callers; `stop` lets each finish its request in flight and answers the figures. */
export function startLoad (baseUrl: string, concurrency: number, next: (n: number) => Call): { stop: () => Promise<LoadFigures> } {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency })
  const figures: LoadFigures = { requests: 0, failures: 0, replicas: {}, cache: {}, failed: {}, failingMs: 0 }
  let firstFailure = 0
  const fail = (what: string): void => {
    if (figures.failures++ === 0) firstFailure = performance.now()
    figures.failingMs = performance.now() - firstFailure
    count(figures.failed, what)
  }
  const stopping = new AbortController()
  let n = 0
  const callers = Array.from({ length: concurrency }, async () => {
    while (!stopping.signal.aborted) {
      figures.requests++
      try {
        const call = next(n++)
        const answer = await send(agent, baseUrl, call)
        count(figures.replicas, replicaOf(answer))
        count(figures.cache, `${call.path.split('/')[3] ?? call.path} ${String(answer.headers['x-cache'] ?? '-')}`)
        if (answer.status !== 200) fail(`${answer.status} ${answer.body.replace(/<[^>]+>|\s+/g, ' ').trim().slice(0, 80)}`)
      } catch (err) {
        fail((err as NodeJS.ErrnoException).code ?? String(err))
      }
    }
  })
  return {
    stop: async () => {
      stopping.abort()
      await Promise.all(callers)
      agent.destroy()
      return figures
    }
  }
}
