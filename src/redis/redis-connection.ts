import { setTimeout as sleep } from 'node:timers/promises'
import type { Logger } from 'pino'
import { CircuitBreaker, type Admission, type BreakerOptions } from './circuit-breaker.js'
import { connectTimeoutMs, redisTopology, type RedisClient, type RedisTopology } from './redis-topology.js'
import { parseRedisUrl } from './redis-url.js'

export interface RedisConnectionOptions {
  /** One server, Sentinels or Cluster nodes: see `parseRedisUrl`. */
  url: string
  /** Longest a read, lock or count may take before its caller goes on without Redis. */
  timeoutMs: number
  /** Writes carry whole pages, so they get longer; so does PING, which readiness waits for anyway. */
  writeTimeoutMs: number
  breaker: BreakerOptions
}

/** Which of the two deadlines a call gets: `short` for reads, locks and counts; `long` for writes and PING. */
export type Deadline = 'short' | 'long'

export interface RedisStats {
  breakerOpen: boolean
  /** Calls that got no answer within their deadline. */
  timeouts: number
  /** Calls answered at once, without touching Redis, because the breaker was open. */
  skipped: number
}

export class RedisTimeout extends Error {
  constructor (ms: number) {
    super(`Redis: no answer within ${ms} ms`)
  }
}

export class RedisSkipped extends Error {
  constructor (retryInMs: number) {
    super(`Redis skipped: the circuit breaker is open after consecutive failures; next probe in ${retryInMs} ms`)
  }
}

export class RedisOffline extends Error {
  constructor () {
    super('Redis: not connected yet')
  }
}

const TIMED_OUT = Symbol('timed out')
/** How many times a deadline that fired late (this process was busy) is given again. */
const lateGrants = 2

/**
 * The one Redis client of the gateway, shared by the result cache, its locks, jobs and rate limits, and the one
 * rule for calling it: every call has a deadline, after which its caller goes on without Redis (a late answer is
 * dropped), and a circuit breaker skips Redis altogether after a few failures in a row. The client fails fast
 * rather than queueing (no offline queue) and reconnects by itself with a capped backoff. Behind the URL is one
 * server, a master found by Sentinels (a failover is a short outage: calls time out, then go to the new
 * master) or a Cluster (a call goes to its key's master; keys read or written together share a hash tag).
 */
export class RedisConnection {
  readonly client: RedisClient
  readonly breaker: CircuitBreaker
  readonly #topology: RedisTopology
  #timeouts = 0
  #skipped = 0
  #closed = false

  constructor (readonly options: RedisConnectionOptions, logger: Logger) {
    this.#topology = redisTopology(parseRedisUrl(options.url))
    this.client = this.#topology.client
    // Failures reach each call as a rejection; the client's own error events would only repeat them.
    this.client.on('error', () => {})
    this.breaker = new CircuitBreaker(options.breaker)
    this.breaker.transitions.on((open) => {
      if (open) {
        logger.warn({ failures: options.breaker.failures, retryMs: options.breaker.retryMs },
          'Redis is not answering: skipped until a probe answers (the cache serves from the warehouse, rate limits count in this process)')
      } else {
        logger.info('Redis answers again: the cache and shared rate limits are back')
      }
    })
  }

  get stats (): RedisStats {
    return { breakerOpen: this.breaker.isOpen, timeouts: this.#timeouts, skipped: this.#skipped }
  }

  /** Starts connecting and waits a bounded time for it; false when Redis is not there yet (the client keeps trying). */
  async open (): Promise<boolean> {
    // Rejects only when closed while still connecting.
    const connected = this.#topology.connect().then(() => true, () => false)
    return await Promise.race([connected, sleep(connectTimeoutMs, false, { ref: false })])
  }

  /** The servers holding keys, for a SCAN to see them all: each master of a Cluster, else the one server. */
  async masters (): Promise<RedisClient[]> {
    return await this.call(async () => await this.#topology.masters(), 'long')
  }

  /** Runs `work` (commands of `client`) under the deadline and the breaker; a failure rejects, never hangs. */
  async call<T> (work: () => Promise<T>, deadline: Deadline = 'short'): Promise<T> {
    if (this.#closed) throw new Error('Redis: the connection is closed')
    // Before the first connect a client would try to connect on its own (keyv does); it is the topology's to do.
    if (!this.client.isOpen) throw new RedisOffline()
    const admission = this.breaker.admit()
    if (admission === 'skip') {
      this.#skipped++
      throw new RedisSkipped(this.breaker.retryInMs)
    }
    const timeoutMs = deadline === 'short' ? this.options.timeoutMs : this.options.writeTimeoutMs
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
      const expire = (due: number, grants: number): void => {
        // Late by half the deadline or more, this process was busy (a long task, a GC pause): its command may not
        // even have been written yet, so Redis gets its full time again (twice at most) rather than the blame.
        if (grants > 0 && performance.now() - due >= timeoutMs / 2) {
          timer = setTimeout(expire, timeoutMs, performance.now() + timeoutMs, grants - 1)
          timer.unref()
          return
        }
        // An answer that arrived while the event loop was busy is read before the timeout is believed.
        setImmediate(() => resolve(TIMED_OUT))
      }
      timer = setTimeout(expire, timeoutMs, performance.now() + timeoutMs, lateGrants)
      timer.unref()
    })
    try {
      const result = await Promise.race([work(), timeout])
      if (result === TIMED_OUT) {
        this.#timeouts++
        throw new RedisTimeout(timeoutMs)
      }
      this.breaker.succeeded()
      return result
    } catch (err) {
      this.#settle(admission, err)
      throw err
    } finally {
      clearTimeout(timer)
    }
  }

  /** Whether Redis answers PING, for readiness: through the breaker, so an open one fails at once. */
  async ping (): Promise<boolean> {
    return await this.call(async () => await this.client.ping(), 'long') === 'PONG'
  }

  async close (): Promise<void> {
    this.#closed = true
    // QUIT waits for the answers still due; a hung Redis would never give them.
    if (this.#topology.isReady) await Promise.race([this.#topology.close(), sleep(this.options.writeTimeoutMs, undefined, { ref: false })]).catch(() => {})
    if (this.client.isOpen) await this.#topology.destroy().catch(() => {})
  }

  /** An error reply while connected means Redis answered; a timeout or a lost connection means it did not. */
  #settle (admission: Admission, err: unknown): void {
    if (err instanceof RedisTimeout || !this.#topology.isReady) this.breaker.failed(admission)
    else this.breaker.succeeded()
  }
}
