import { Listeners } from '../listeners.js'

export interface BreakerOptions {
  /** Consecutive failures (no answer in time, no connection) that open the breaker. */
  failures: number
  /** How long it stays open before one call is let through to probe. */
  retryMs: number
}

/** What a call may do: go ahead, go ahead as the one probe of an open breaker, or not touch Redis at all. */
export type Admission = 'call' | 'probe' | 'skip'

/**
 * Stops calling a Redis that does not answer: after `failures` failed calls in a row it opens, and every call
 * is skipped at once; each `retryMs` one call is let through as a probe (half-open), and its success closes the
 * breaker. A hung Redis then costs one timeout per interval instead of one per request.
 */
export class CircuitBreaker {
  #failures = 0
  #open = false
  #retryAt = 0
  #probing = false
  /** `true` when the breaker opens, `false` when it closes: once per transition. */
  readonly transitions = new Listeners<boolean>()

  constructor (readonly options: BreakerOptions) {}

  /** True from opening until a probe succeeds, including while a probe is under way. */
  get isOpen (): boolean {
    return this.#open
  }

  /** Milliseconds until the next probe may go (0 when one may go now, or the breaker is closed). */
  get retryInMs (): number {
    return this.#open ? Math.max(0, this.#retryAt - Date.now()) : 0
  }

  admit (): Admission {
    if (!this.#open) return 'call'
    if (this.#probing || Date.now() < this.#retryAt) return 'skip'
    this.#probing = true
    return 'probe'
  }

  /** Redis answered (a reply, even an error reply): it is there. */
  succeeded (): void {
    this.#failures = 0
    this.#probing = false
    if (!this.#open) return
    this.#open = false
    this.transitions.emit(false)
  }

  failed (admission: Admission): void {
    if (admission === 'probe') {
      this.#probing = false
      this.#retryAt = Date.now() + this.options.retryMs
      return
    }
    if (this.#open || ++this.#failures < this.options.failures) return
    this.#open = true
    this.#retryAt = Date.now() + this.options.retryMs
    this.transitions.emit(true)
  }
}
