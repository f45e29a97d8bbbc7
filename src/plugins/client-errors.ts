import { randomUUID } from 'node:crypto'
import { STATUS_CODES } from 'node:http'
import type { Socket } from 'node:net'
import type { FastifyInstance } from 'fastify'
import { HeadersTooLarge, RequestTimeout, RequestUnreadable } from '../errors.js'
import { errorBody } from './error-handler.js'

type ConnectionError = Error & { code?: string }

const reasons: Record<string, string> = {
  ERR_HTTP_REQUEST_TIMEOUT: 'request_timeout',
  HPE_HEADER_OVERFLOW: 'headers_too_large'
}

/**
 * For Fastify's `clientErrorHandler`: what Node's HTTP parser refuses before a request exists (a client too slow
 * to send its headers and body, headers too large, bytes that are not HTTP) is answered in the error envelope,
 * counted, and the connection closed.
 */
export function clientErrorHandler (requestTimeoutMs: number) {
  return function onClientError (this: FastifyInstance, err: ConnectionError, socket: Socket): void {
    if (err.code === 'ECONNRESET' || socket.destroyed) return
    const reason = reasons[err.code ?? ''] ?? 'bad_request'
    // Only a metrics-enabled app counts; the handler is bound before plugins load.
    if (this.hasDecorator('metrics')) this.metrics.clientErrors.inc({ reason })
    const error = reason === 'request_timeout'
      ? new RequestTimeout(requestTimeoutMs)
      : reason === 'headers_too_large' ? new HeadersTooLarge() : new RequestUnreadable()
    const requestId = randomUUID()
    this.log.debug({ err, reason, requestId }, 'client error: connection closed')
    // A response already begun cannot take another: only the close is left.
    const started = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent === true
    if (socket.writable && !started) {
      const body = errorBody(error.code, error.message, requestId)
      socket.write(`HTTP/1.1 ${error.statusCode} ${STATUS_CODES[error.statusCode ?? 400]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nX-Request-Id: ${requestId}\r\nConnection: close\r\n\r\n${body}`)
    }
    socket.destroy(err)
  }
}
