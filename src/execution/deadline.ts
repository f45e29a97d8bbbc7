export interface Deadline {
  /** Epoch ms. */
  at: number
  budgetMs: number
  /** Aborts when the deadline passes or the caller goes away. */
  readonly signal: AbortSignal
  dispose: () => void
}

/**
 * The action's timeout, lowered (never raised) by the caller's own `X-Request-Timeout-Ms`,
 * so a Studio script that stops waiting after 2 s does not leave 8 s of warehouse work behind.
 */
export function startDeadline (actionTimeoutMs: number, requestedMs: number | undefined, callerGone: () => AbortSignal): Deadline {
  const budgetMs = requestedMs !== undefined && requestedMs > 0 ? Math.min(actionTimeoutMs, requestedMs) : actionTimeoutMs
  const at = Date.now() + budgetMs
  let signal: AbortSignal | undefined
  let timeout: NodeJS.Timeout | undefined
  return {
    at,
    budgetMs,
    // Made on first use: a cache hit has nothing to cancel, and signals and timers cost on every request.
    get signal () {
      if (!signal) {
        const timer = new AbortController()
        timeout = setTimeout(() => timer.abort(new DeadlineReached(budgetMs)), Math.max(0, at - Date.now()))
        signal = AbortSignal.any([timer.signal, callerGone()])
      }
      return signal
    },
    dispose: () => clearTimeout(timeout)
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
