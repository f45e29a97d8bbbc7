export interface Deadline {
  /** Epoch ms. */
  at: number
  budgetMs: number
  /** Aborts when the deadline passes or the caller goes away. */
  signal: AbortSignal
  expired: () => boolean
  dispose: () => void
}

/**
 * The action's timeout, lowered (never raised) by the caller's own `X-Request-Timeout-Ms`,
 * so a Studio script that stops waiting after 2 s does not leave 8 s of warehouse work behind.
 */
export function startDeadline (actionTimeoutMs: number, requestedMs: number | undefined, callerGone: AbortSignal): Deadline {
  const budgetMs = requestedMs !== undefined && requestedMs > 0 ? Math.min(actionTimeoutMs, requestedMs) : actionTimeoutMs
  const at = Date.now() + budgetMs
  const timer = new AbortController()
  const timeout = setTimeout(() => timer.abort(new DeadlineReached(budgetMs)), budgetMs)
  return {
    at,
    budgetMs,
    signal: AbortSignal.any([timer.signal, callerGone]),
    expired: () => timer.signal.aborted,
    dispose: () => clearTimeout(timeout)
  }
}

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
