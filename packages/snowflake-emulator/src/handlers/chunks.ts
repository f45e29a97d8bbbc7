// Chunk downloads (wire doc §9): rows as comma-joined JSON arrays without brackets, never served as
// application/json (axios would try to parse it), gzip only together with Content-Encoding.
import { setTimeout as sleep } from 'node:timers/promises'
import { promisify } from 'node:util'
import { gzip } from 'node:zlib'
import type { Handler } from '../context.js'
import { chunkRange } from '../results.js'

const gzipAsync = promisify(gzip)

export const chunk: Handler = async (ctx, req, res, [queryId = '', indexText = '']) => {
  const fault = ctx.faults.takeChunkFault()
  if (fault?.stallMs !== undefined) await sleep(fault.stallMs)
  if (fault?.httpStatus !== undefined) return sendText(res, fault.httpStatus, `injected HTTP ${fault.httpStatus}`)
  const q = ctx.statements.get(queryId)
  const range = q?.result == null ? null : chunkRange(q.result.rowCount, q.layout, Number(indexText))
  if (q?.result == null || range === null) return sendText(res, 404, 'no such chunk')
  const text = q.result.chunkText(range[0], range[1])
  const acceptsGzip = /\bgzip\b/.test(String(req.raw.headers['accept-encoding'] ?? ''))
  if (ctx.opts.gzipChunks && acceptsGzip) {
    const body = await gzipAsync(text)
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-encoding': 'gzip', 'content-length': body.length })
    res.end(body)
    return
  }
  res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text) })
  res.end(text)
}

function sendText (res: Parameters<Handler>[2], status: number, text: string): void {
  if (res.headersSent || res.destroyed) return
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' })
  res.end(text)
}
