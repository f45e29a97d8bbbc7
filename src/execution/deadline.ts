/**
 * The action's timeout, lowered (never raised) by the caller's own `X-Request-Timeout-Ms`,
 * so a Studio script that stops waiting after 2 s does not leave 8 s of warehouse work behind.
 */
export class Deadline {
  /** Epoch ms. */
  readonly at: number
  readonly budgetMs: number
  #signal: AbortSignal | undefined
  #timeout: NodeJS.Timeout | undefined

  /** `callerGone`: a signal that aborts when the caller goes away, asked for only when the signal is. */
  constructor (actionTimeoutMs: number, requestedMs: number | undefined, readonly callerGone: () => AbortSignal) {
    this.budgetMs = requestedMs !== undefined && requestedMs > 0 ? Math.min(actionTimeoutMs, requestedMs) : actionTimeoutMs
    this.at = Date.now() + this.budgetMs
  }

  /** Aborts when the deadline passes or the caller goes away. Made on first use: a cache hit has nothing to cancel. */
  get signal (): AbortSignal {
    if (!this.#signal) {
      const timer = new AbortController()
      this.#timeout = setTimeout(() => timer.abort(new DeadlineReached(this.budgetMs)), Math.max(0, this.at - Date.now()))
      this.#signal = AbortSignal.any([timer.signal, this.callerGone()])
    }
    return this.#signal
  }

  dispose (): void {
    clearTimeout(this.#timeout)
  }
}

/** For work that outlives its request: only its own deadline ends it. */
export const noCaller = (): AbortSignal => new AbortController().signal

export class DeadlineReached extends Error {
  constructor (readonly budgetMs: number) {
    super(`deadline of ${budgetMs} ms reached`)
    this.name = 'DeadlineReached'
  }
}

export class CallerGone extends Error {
  constructor () {
    super('the caller closed the connection')
    this.name = 'CallerGone'
  }
}
