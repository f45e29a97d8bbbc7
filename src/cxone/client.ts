import { setMaxListeners } from 'node:events'
import type { CxoneConfig } from '../config.js'
import { Discovery } from './discovery.js'
import {
  Cancelled, ContactIdInvalid, DeadlineExceeded, SignalParamsInvalid, SignalRejected, Unauthorized, Unavailable,
  failure, isCxoneFailure, ownCopy, type CxoneFailure
} from './errors.js'
import { CxoneHttp, NoAnswer } from './http.js'
import { retryAfterMs } from './retry-after.js'
import { GaveUp, Retryable, defaultRetryPolicy, retrying, type RetryPolicy } from './retry.js'
import { TokenManager, WaitedTooLong, waitWithin, type CxoneLogger } from './tokens.js'

export type { CxoneConfig } from '../config.js'
export type { CxoneFailure } from './errors.js'
export type { CxoneLogger } from './tokens.js'

export interface SignalOptions {
  /** Epoch ms: no attempt starts, and no request runs, past it. */
  deadline: number
  signal?: AbortSignal
}

export interface SignalResult {
  /** Signal requests sent, the delivered one included. */
  attempts: number
  /** CXone's answer to the delivered one (2xx). */
  status: number
}

/** CXone contact ids are integers (64-bit): digits only, so one never changes the URL it is put in. */
const contactIdPattern = /^\d{1,20}$/
const maxParams = 9

/**
 * The gateway's outbound CXone client: signals running Studio scripts (their ONSIGNAL event receives p1…p9).
 * Failures are CxoneFailure errors that say how many requests were sent and CXone's last status.
 */
export class CxoneClient {
  readonly #config: CxoneConfig
  readonly #logger: CxoneLogger
  readonly #http: CxoneHttp
  readonly #discovery: Discovery
  readonly #tokens: TokenManager
  readonly #policy: RetryPolicy
  readonly #closing = new AbortController()

  constructor (config: CxoneConfig, logger: CxoneLogger, options: { retry?: Partial<RetryPolicy> } = {}) {
    // Checked again here: the version goes into every URL, and a config may be built without loadConfig.
    if (!/^v\d{1,3}\.\d{1,3}$/.test(config.apiVersion)) throw new TypeError('CxoneConfig.apiVersion must look like v30.0')
    this.#config = config
    this.#logger = logger
    // Every call in flight listens to it: hundreds at once are expected, not a leak.
    setMaxListeners(0, this.#closing.signal)
    this.#policy = { ...defaultRetryPolicy, ...options.retry }
    this.#http = new CxoneHttp(config.timeoutMs)
    this.#discovery = new Discovery(config, this.#http)
    this.#tokens = new TokenManager(config, this.#http, this.#discovery, logger, this.#policy, this.#closing.signal)
  }

  /** Token requests sent so far (for metrics and tests). */
  get tokenRequests (): number {
    return this.#tokens.requests
  }

  /** `POST {api}/incontactapi/services/{version}/interactions/{contactId}/signal` with p1…p9, retried within the deadline. */
  async signal (contactId: string, params: string[], options: SignalOptions): Promise<SignalResult> {
    if (typeof contactId !== 'string' || !contactIdPattern.test(contactId)) throw failure(new ContactIdInvalid(), 0, undefined)
    if (!Array.isArray(params) || params.length > maxParams || params.some((p) => typeof p !== 'string')) {
      throw failure(new SignalParamsInvalid(), 0, undefined)
    }
    const { deadline } = options
    if (typeof deadline !== 'number' || Number.isNaN(deadline)) throw new TypeError('options.deadline must be epoch milliseconds')
    // Nothing is started for a caller already out of time, not even a token request.
    if (Date.now() >= deadline) throw failure(new DeadlineExceeded('it had passed before the first attempt'), 0, undefined)
    const stop = linked(options.signal, this.#closing.signal)
    const started = Date.now()
    let attempts = 0
    let status: number | undefined
    let refusedOnce = false
    try {
      const delivered = await retrying(async () => {
        const api = await waitWithin(this.#discovery.apiEndpoint(), deadline, stop.signal, 'discovery')
        let token: string
        try {
          token = await this.#tokens.get(deadline, stop.signal)
        } catch (error) {
          // The token request retried on its own: its failure ends this call too.
          throw new Final(error)
        }
        const { url, body } = this.#signalRequest(api, contactId, params)
        attempts++
        const reply = await this.#http.send(url, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${token}`,
            accept: 'application/json',
            ...(body === undefined ? {} : { 'content-type': 'application/json' })
          },
          body,
          deadline,
          signal: stop.signal
        }).catch((error: unknown) => {
          if (error instanceof NoAnswer) this.#discovery.forget('api')
          throw error
        })
        status = reply.status
        if (status >= 200 && status < 300) return status
        if (status === 401) {
          this.#tokens.invalidate(token)
          if (refusedOnce) throw new Final(failure(new Unauthorized(), attempts, status))
          refusedOnce = true
          throw new Retryable('signal answered HTTP 401; once more with a fresh token', status, 0)
        }
        if (status === 429 || status === 408 || status >= 500) {
          throw new Retryable(`signal answered HTTP ${status}`, status, retryAfterMs(reply.headers['retry-after']))
        }
        throw new Final(failure(new SignalRejected(status), attempts, status))
      }, {
        deadline: () => deadline,
        signal: stop.signal,
        policy: this.#policy,
        onRetry: (error, attempt, delayMs) => {
          this.#logger.warn({ cxone: 'signal', contactId, attempt, status: error.status, delayMs, why: error.why }, 'cxone signal failed; retrying')
        }
      })
      this.#logger.debug({ cxone: 'signal', contactId, params: params.length, attempts, status: delivered, ms: Date.now() - started }, 'cxone signal delivered')
      return { attempts, status: delivered }
    } catch (error) {
      throw this.#failureOf(error, attempts, status, deadline, stop.signal)
    } finally {
      stop.dispose()
    }
  }

  /** Stops retries and requests in flight, and closes the connections. */
  async close (): Promise<void> {
    if (!this.#closing.signal.aborted) this.#closing.abort(new Error('the CXone client was closed'))
    await this.#http.close()
  }

  #signalRequest (api: URL, contactId: string, params: string[]): { url: URL, body?: string } {
    const url = new URL(api)
    url.pathname = `${url.pathname.replace(/\/+$/, '')}/incontactapi/services/${this.#config.apiVersion}/interactions/${contactId}/signal`
    const named = Object.fromEntries(params.map((value, i) => [`p${i + 1}`, value]))
    if (this.#config.signalParams === 'query') {
      url.search = new URLSearchParams(named).toString()
      return { url }
    }
    url.search = ''
    return { url, body: JSON.stringify(named) }
  }

  #failureOf (error: unknown, attempts: number, status: number | undefined, deadline: number, signal: AbortSignal): CxoneFailure {
    if (error instanceof Final) error = error.inner
    if (signal.aborted && !isCxoneFailure(error)) {
      const reason: unknown = signal.reason
      return failure(new Cancelled(reason instanceof Error ? reason.message : 'aborted'), attempts, status, reason)
    }
    if (isCxoneFailure(error)) return error.attempts === attempts ? error : ownCopy(error, attempts, status)
    if (error instanceof WaitedTooLong) return failure(new DeadlineExceeded(error.message), attempts, status)
    if (error instanceof Retryable || error instanceof GaveUp) {
      const last = error instanceof GaveUp ? error.last : error
      const why = error instanceof GaveUp ? error.message : `${error.why} (attempt ${attempts})`
      // Out of time (or timing out until no attempt fits) is a deadline; CXone refusing until then is unavailability.
      const ended = Date.now() >= deadline - 1 || (error instanceof GaveUp && last instanceof NoAnswer && last.timedOut)
      return failure(ended ? new DeadlineExceeded(why) : new Unavailable(why), attempts, last.status ?? status, last)
    }
    throw error
  }
}

/** An error that ends the retries at once, whatever it is. */
class Final extends Error {
  constructor (readonly inner: unknown) {
    super('final')
    this.name = 'Final'
  }
}

/** One signal aborted by either of two; `dispose` unhooks it, so long-lived signals do not collect listeners. */
function linked (a: AbortSignal | undefined, b: AbortSignal): { signal: AbortSignal, dispose: () => void } {
  const controller = new AbortController()
  const sources = a ? [a, b] : [b]
  const listeners = sources.map((source) => {
    const abort = (): void => { controller.abort(source.reason) }
    if (source.aborted) abort()
    else source.addEventListener('abort', abort, { once: true })
    return () => { source.removeEventListener('abort', abort) }
  })
  return { signal: controller.signal, dispose: () => { for (const remove of listeners) remove() } }
}
