import { Pool } from 'undici'
import { Retryable } from './retry.js'

/** One CXone answer, body read whole (capped). */
export interface Reply {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

export interface Send {
  method: 'GET' | 'POST'
  headers?: Record<string, string>
  body?: string
  /** Epoch ms: the request is abandoned then, whatever the timeout. */
  deadline: number
  signal?: AbortSignal
}

/** A request that got no answer: refused, reset, timed out. Worth another attempt. */
export class NoAnswer extends Retryable {
  constructor (readonly reason: string, readonly timedOut: boolean, options?: { cause?: unknown }) {
    super(`no answer from CXone (${reason})`, undefined, undefined, options)
    this.name = 'NoAnswer'
  }
}

/** CXone's answers are small JSON documents; anything larger is not one of them and is not kept in memory. */
const maxBodyBytes = 64 * 1024
/** Up to this many sockets per CXone host; further requests queue in the pool (and count against their timeout). */
const connectionsPerHost = 32
/** Below CXone's load balancers' idle timeouts, so a kept socket is not closed under a request. */
const keepAliveMs = 30_000

/** Errors that mean the request itself was wrong, not the network: another attempt would fail the same way. */
const ourMistakes = new Set(['UND_ERR_INVALID_ARG', 'UND_ERR_NOT_SUPPORTED', 'UND_ERR_INVALID_RETURN_VALUE'])

/** An undici pool per CXone host (token host, API host), each with connect, headers and body timeouts. */
export class CxoneHttp {
  readonly #pools = new Map<string, Pool>()
  readonly #timeoutMs: number

  constructor (timeoutMs: number) {
    this.#timeoutMs = timeoutMs
  }

  async send (url: URL, request: Send): Promise<Reply> {
    const timeout = Math.min(this.#timeoutMs, request.deadline - Date.now())
    if (timeout <= 0) throw new NoAnswer('deadline reached before sending', true)
    request.signal?.throwIfAborted()
    const controller = new AbortController()
    const timedOut = new NoAnswer(`no answer within ${timeout} ms`, true)
    const timer = setTimeout(() => { controller.abort(timedOut) }, timeout)
    const stop = (): void => { controller.abort(request.signal?.reason) }
    request.signal?.addEventListener('abort', stop, { once: true })
    try {
      const response = await this.#pool(url.origin).request({
        path: url.pathname + url.search,
        method: request.method,
        headers: request.headers,
        body: request.body,
        signal: controller.signal,
        headersTimeout: timeout,
        bodyTimeout: timeout
      })
      return { status: response.statusCode, headers: response.headers, body: await readCapped(response.body) }
    } catch (error) {
      if (request.signal?.aborted) throw request.signal.reason
      if (controller.signal.aborted) throw timedOut
      const code = (error as { code?: unknown }).code
      if (typeof code === 'string' && ourMistakes.has(code)) throw error
      const timeoutCode = code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT'
      throw new NoAnswer(typeof code === 'string' ? code : (error as Error).name, timeoutCode, { cause: error })
    } finally {
      clearTimeout(timer)
      request.signal?.removeEventListener('abort', stop)
    }
  }

  async close (): Promise<void> {
    const pools = [...this.#pools.values()]
    this.#pools.clear()
    await Promise.all(pools.map(async (pool) => await pool.close()))
  }

  #pool (origin: string): Pool {
    let pool = this.#pools.get(origin)
    if (!pool) {
      pool = new Pool(origin, {
        connections: connectionsPerHost,
        connect: { timeout: this.#timeoutMs },
        headersTimeout: this.#timeoutMs,
        bodyTimeout: this.#timeoutMs,
        keepAliveTimeout: keepAliveMs
      })
      this.#pools.set(origin, pool)
    }
    return pool
  }
}

async function readCapped (body: AsyncIterable<Buffer> & { destroy: () => void }): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of body) {
    size += chunk.length
    if (size > maxBodyBytes) {
      body.destroy()
      break
    }
    chunks.push(chunk)
  }
  return Buffer.concat(chunks).toString('utf8')
}
