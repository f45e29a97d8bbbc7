// The HTTP front door: parses each request (JSON, possibly gzipped), routes it, and turns anything
// unexpected into a Snowflake-shaped error instead of a crash.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { gunzipSync } from 'node:zlib'
import type { EmulatorContext, Handler, Request } from './context.js'
import { handleControl, type Controls } from './controls.js'
import { failure, sendJson } from './envelope.js'
import { errors } from './errors.js'
import { chunk } from './handlers/chunks.js'
import { abortByQueryId, abortByRequestId, monitoring, queryRequest, queryResult } from './handlers/queries.js'
import { heartbeat, login, logout, renewToken, telemetry } from './handlers/session.js'

const MAX_BODY_BYTES = 256 * 1024 * 1024
const ID = '([0-9a-fA-F-]{36})'

const routes: Array<{ method: string, path: RegExp, handler: Handler }> = [
  { method: 'POST', path: /^\/session\/v1\/login-request$/, handler: login },
  { method: 'POST', path: /^\/session\/token-request$/, handler: renewToken },
  { method: 'POST', path: /^\/session\/heartbeat$/, handler: heartbeat },
  { method: 'POST', path: /^\/session$/, handler: logout },
  { method: 'POST', path: /^\/telemetry\/send$/, handler: telemetry },
  { method: 'POST', path: /^\/queries\/v1\/query-request$/, handler: queryRequest },
  { method: 'POST', path: /^\/queries\/v1\/abort-request$/, handler: abortByRequestId },
  { method: 'GET', path: new RegExp(`^/queries/${ID}/result$`), handler: queryResult },
  { method: 'POST', path: new RegExp(`^/queries/${ID}/abort-request$`), handler: abortByQueryId },
  { method: 'GET', path: new RegExp(`^/monitoring/queries/${ID}$`), handler: monitoring },
  { method: 'GET', path: new RegExp(`^/__chunks/${ID}/(\\d+)$`), handler: chunk }
]

export function createEmulatorServer (ctx: EmulatorContext, controls: Controls): Server {
  const server = createServer((raw, res) => {
    handle(ctx, controls, raw, res).catch((err: unknown) => {
      sendJson(res, 500, failure(errors.internal(err instanceof Error ? err.message : String(err))))
    })
  })
  server.keepAliveTimeout = 65_000
  return server
}

async function handle (ctx: EmulatorContext, controls: Controls, raw: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(raw.url ?? '/', 'http://emulator')
  const method = raw.method ?? 'GET'
  let body: unknown
  try {
    body = await readJson(raw)
  } catch (err) {
    return sendJson(res, err instanceof BodyTooLarge ? 413 : 400, failure(errors.badRequest(err instanceof Error ? err.message : 'unreadable body')))
  }
  const req: Request = {
    raw,
    method,
    path: url.pathname,
    query: url.searchParams,
    body,
    token: /Snowflake Token="([^"]*)"/.exec(raw.headers.authorization ?? '')?.[1],
    baseUrl: `http://${raw.headers.host ?? `${ctx.opts.host}:${ctx.opts.port}`}`
  }
  if (req.path.startsWith('/__emulator/')) return await handleControl(controls, req, res)
  for (const route of routes) {
    if (route.method !== method) continue
    const match = route.path.exec(req.path)
    if (match !== null) return await route.handler(ctx, req, res, match.slice(1))
  }
  sendJson(res, 404, failure(errors.notFound(`${method} ${req.path}`)))
}

class BodyTooLarge extends Error {}

async function readJson (raw: IncomingMessage): Promise<unknown> {
  const parts: Buffer[] = []
  let size = 0
  for await (const part of raw) {
    const buf = part as Buffer
    size += buf.length
    if (size > MAX_BODY_BYTES) throw new BodyTooLarge('request body too large')
    parts.push(buf)
  }
  if (size === 0) return undefined
  let buf = Buffer.concat(parts)
  // The driver may label a plain body as gzip (or not label a gzipped one): trust the magic bytes.
  if (buf[0] === 0x1f && buf[1] === 0x8b) buf = gunzipSync(buf)
  const text = buf.toString('utf8')
  if (text.trim() === '') return undefined
  try {
    return JSON.parse(text)
  } catch {
    throw new Error('request body is not valid JSON')
  }
}
