import { request, type IncomingHttpHeaders } from 'node:http'
import { connect } from 'node:net'

export interface RawAnswer {
  status: number
  headers: IncomingHttpHeaders
  text: string
}

export interface RawRequest {
  method: string
  /** Sent as the request target exactly as given: encoded, absolute-form, dot segments and all. */
  target: string
  headers?: Record<string, string>
  body?: string
}

/** One request on its own connection, with no URL normalisation on the way (fetch would resolve and re-encode). */
export async function send (base: string, raw: RawRequest): Promise<RawAnswer> {
  const { hostname, port } = new URL(base)
  return await new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, method: raw.method, path: raw.target, headers: raw.headers, agent: false }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => { text += chunk })
      res.on('end', () => { resolve({ status: res.statusCode ?? 0, headers: res.headers, text }) })
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(raw.body)
  })
}

/** Bytes written to a socket as they are, and everything the server sends back until it closes. */
export async function sendBytes (base: string, bytes: string | Buffer, options: { pauseAfterMs?: number } = {}): Promise<string> {
  const { hostname, port } = new URL(base)
  return await new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname)
    let text = ''
    socket.setEncoding('latin1')
    socket.on('data', (chunk: string) => { text += chunk })
    socket.on('close', () => { resolve(text) })
    socket.on('error', (err: Error & { code?: string }) => { if (err.code === 'ECONNRESET') resolve(text); else reject(err) })
    socket.write(bytes)
    if (options.pauseAfterMs === undefined) socket.end()
  })
}

const envelopeKeys = new Set(['status', 'error', 'message', 'details', 'requestId'])

/** Why `text` is not the gateway's error envelope, or undefined when it is. */
export function notAnEnvelope (text: string): string | undefined {
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    return `not JSON: ${text.slice(0, 120)}`
  }
  const b = body as Record<string, unknown>
  if (b === null || typeof b !== 'object') return 'not an object'
  if (b.status !== 'error') return 'status is not "error"'
  if (typeof b.error !== 'string' || !/^[A-Z][A-Z_]+$/.test(b.error)) return `error code ${String(b.error)}`
  if (typeof b.message !== 'string' || b.message.length === 0) return 'no message'
  if (typeof b.requestId !== 'string' || b.requestId.length === 0) return 'no requestId'
  const extra = Object.keys(b).filter((key) => !envelopeKeys.has(key))
  return extra.length > 0 ? `unexpected fields ${extra.join(', ')}` : undefined
}
