import type { BaseLogger } from 'pino'
import type { CxoneConfig } from '../config.js'
import type { Discovery } from './discovery.js'
import { AuthRejected, DeadlineExceeded, ResponseInvalid, Unavailable, failure, isCxoneFailure } from './errors.js'
import { NoAnswer, type CxoneHttp } from './http.js'
import { retryAfterMs } from './retry-after.js'
import { GaveUp, Retryable, retrying, type RetryPolicy } from './retry.js'

export type CxoneLogger = Pick<BaseLogger, 'debug' | 'info' | 'warn' | 'error'>

interface Token {
  value: string
  /** Epoch ms after which the token is not sent any more. */
  usableUntil: number
  /** Epoch ms from which a new token is fetched in the background while this one is still used. */
  refreshAt: number
}

/** One token request in flight, shared by everyone who needs it; it retries until the latest of their deadlines. */
interface Flight {
  until: number
  promise: Promise<Token>
}

/** A token response without `expires_in` is used this long: short, as nothing is known about it. */
const unknownLifetimeSeconds = 60
/** After a background refresh failed, the next one waits this long; the current token is still good meanwhile. */
const backgroundPauseMs = 5000

/**
 * When to refresh a token that lives `seconds`: at 80 % of its life or 60 s before it ends, whichever is sooner,
 * but not before half of it (a 30 s token would otherwise be stale as soon as it arrives).
 */
export function refreshAge (seconds: number): number {
  return Math.max(Math.min(seconds * 0.8, seconds - 60), seconds * 0.5) * 1000
}

/** Stop sending a token a little before it ends (a tenth of its life, at most 5 s): it must still be good on arrival. */
export function usableAge (seconds: number): number {
  return seconds * 1000 - Math.min(5000, seconds * 100)
}

/** OAuth error codes are short snake_case words; anything else in an error body is not repeated. */
const oauthError = (body: string): string => {
  try {
    const code = (JSON.parse(body) as { error?: unknown }).error
    return typeof code === 'string' && /^[a-z_]{1,64}$/.test(code) ? ` (${code})` : ''
  } catch {
    return ''
  }
}

/**
 * Access tokens for CXone: fetched once however many callers need one, kept, and refreshed ahead of
 * `expires_in`. The secrets stay in here and go nowhere but the token request.
 */
export class TokenManager {
  readonly #config: CxoneConfig
  readonly #http: CxoneHttp
  readonly #discovery: Discovery
  readonly #logger: CxoneLogger
  readonly #policy: RetryPolicy
  readonly #closing: AbortSignal
  #current: Token | undefined
  #flight: Flight | undefined
  #quietUntil = 0
  #requests = 0

  constructor (config: CxoneConfig, http: CxoneHttp, discovery: Discovery, logger: CxoneLogger, policy: RetryPolicy, closing: AbortSignal) {
    this.#config = config
    this.#http = http
    this.#discovery = discovery
    this.#logger = logger
    this.#policy = policy
    this.#closing = closing
  }

  /** Token requests sent so far. */
  get requests (): number {
    return this.#requests
  }

  /** A token for a request that must start before `deadline`. Fails with a CxoneFailure, or the signal's reason. */
  async get (deadline: number, signal?: AbortSignal): Promise<string> {
    const now = Date.now()
    const current = this.#current
    if (current && now < current.usableUntil) {
      if (now >= current.refreshAt && !this.#flight && now >= this.#quietUntil) {
        this.#refresh(current.usableUntil).catch((error: unknown) => {
          this.#quietUntil = Date.now() + backgroundPauseMs
          this.#logger.warn({ cxone: 'token', code: (error as { code?: unknown }).code }, 'cxone token refresh ahead of expiry failed; the current token is used until it expires')
        })
      }
      return current.value
    }
    return (await waitWithin(this.#refresh(deadline), deadline, signal)).value
  }

  /** CXone refused `value`: the next caller fetches a new token, unless one has come meanwhile. */
  invalidate (value: string): void {
    if (this.#current?.value === value) this.#current = undefined
  }

  #refresh (until: number): Promise<Token> {
    if (this.#flight) {
      this.#flight.until = Math.max(this.#flight.until, until)
      return this.#flight.promise
    }
    // The promise is set on the next line; it needs the flight itself, to read `until` as it moves.
    const flight = { until } as Flight
    flight.promise = this.#obtain(() => flight.until)
      .then((token) => {
        this.#current = token
        return token
      })
      .finally(() => {
        if (this.#flight === flight) this.#flight = undefined
      })
    // Waiters may all have gone by the time it fails: the failure is theirs, never an unhandled rejection.
    flight.promise.catch(() => {})
    this.#flight = flight
    return flight.promise
  }

  async #obtain (until: () => number): Promise<Token> {
    try {
      return await this.#retried(until)
    } catch (error) {
      // Once per request, however many callers it fails: the code and status, never the answer's body.
      const { code, status } = error as { code?: unknown, status?: unknown }
      this.#logger.warn({ cxone: 'token', code, status }, 'cxone token request failed')
      throw error
    }
  }

  async #retried (until: () => number): Promise<Token> {
    try {
      return await retrying(async () => await this.#request(), {
        deadline: until,
        signal: this.#closing,
        policy: this.#policy,
        onRetry: (error, attempt, delayMs) => {
          this.#logger.warn({ cxone: 'token', attempt, status: error.status, delayMs, why: error.why }, 'cxone token request failed; retrying')
        }
      })
    } catch (error) {
      if (this.#closing.aborted) throw this.#closing.reason
      if (isCxoneFailure(error)) throw error
      if (error instanceof Retryable || error instanceof GaveUp) {
        const last = error instanceof GaveUp ? error.last : error
        const why = `token request: ${error instanceof GaveUp ? error.message : error.why}`
        const ended = Date.now() >= until() - 1 || (error instanceof GaveUp && last instanceof NoAnswer && last.timedOut)
        throw failure(ended ? new DeadlineExceeded(why) : new Unavailable(why), 0, last.status, last)
      }
      throw error
    }
  }

  async #request (): Promise<Token> {
    const url = await this.#discovery.tokenEndpoint()
    const config = this.#config
    const form = config.grant === 'password'
      ? new URLSearchParams({ grant_type: 'password', username: config.accessKeyId ?? '', password: config.accessKeySecret ?? '' })
      : new URLSearchParams({ grant_type: 'client_credentials' })
    const started = Date.now()
    this.#requests++
    const reply = await this.#http.send(url, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${config.clientId}:${config.clientSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json'
      },
      body: form.toString(),
      // Shared work belongs to no caller: cut by the timeout only, not by whoever asked first; waiters leave on their own deadlines.
      deadline: Infinity,
      signal: this.#closing
    }).catch((error: unknown) => {
      if (error instanceof NoAnswer) this.#discovery.forget('token')
      throw error
    })
    if (reply.status === 429 || reply.status === 408 || reply.status >= 500) {
      throw new Retryable(`token endpoint answered HTTP ${reply.status}`, reply.status, retryAfterMs(reply.headers['retry-after']))
    }
    if (reply.status === 400 || reply.status === 401 || reply.status === 403) {
      throw failure(new AuthRejected(reply.status, oauthError(reply.body)), 0, reply.status)
    }
    if (reply.status !== 200) throw failure(new ResponseInvalid('the token request', `HTTP ${reply.status}`), 0, reply.status)
    const token = this.#tokenIn(reply.body, started)
    this.#logger.info({ cxone: 'token', grant: config.grant, ms: Date.now() - started }, 'cxone token obtained')
    return token
  }

  #tokenIn (body: string, started: number): Token {
    let parsed: { access_token?: unknown, expires_in?: unknown }
    try {
      parsed = JSON.parse(body) as typeof parsed
    } catch {
      // Never the parser's message: it quotes the body, and the body holds the token.
      throw failure(new ResponseInvalid('the token request', 'not JSON'), 0, 200)
    }
    const value = parsed?.access_token
    if (typeof value !== 'string' || !/^[\x21-\x7e]+$/.test(value)) throw failure(new ResponseInvalid('the token request', 'no usable access_token'), 0, 200)
    let seconds = Number(parsed.expires_in)
    if (!Number.isFinite(seconds) || seconds <= 0) {
      this.#logger.warn({ cxone: 'token', lifetimeSeconds: unknownLifetimeSeconds }, 'cxone token response has no usable expires_in; using the token briefly')
      seconds = unknownLifetimeSeconds
    }
    // Measured from when the request left: the token's clock started no earlier than that.
    return { value, usableUntil: started + usableAge(seconds), refreshAt: started + refreshAge(seconds) }
  }
}

/** Thrown when a caller's own deadline passes while it waits for shared work. */
export class WaitedTooLong extends Error {
  constructor (readonly what: string) {
    super(`the deadline passed while waiting for ${what}`)
    this.name = 'WaitedTooLong'
  }
}

/** Settles as `work` does, or earlier: at the deadline (WaitedTooLong) or when `signal` aborts (its reason). Work goes on for others. */
export async function waitWithin<T> (work: Promise<T>, deadline: number, signal: AbortSignal | undefined, what = 'a token'): Promise<T> {
  signal?.throwIfAborted()
  return await new Promise<T>((resolve, reject) => {
    const abort = (): void => { done(); reject(signal?.reason) }
    // Timers hold at most 2^31-1 ms (about 24 days); a longer wait would fire at once.
    const timer = setTimeout(() => { done(); reject(new WaitedTooLong(what)) }, Math.min(2 ** 31 - 1, Math.max(0, deadline - Date.now())))
    const done = (): void => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', abort)
    }
    signal?.addEventListener('abort', abort, { once: true })
    work.then((value) => { done(); resolve(value) }, (error: unknown) => { done(); reject(error) })
  })
}
