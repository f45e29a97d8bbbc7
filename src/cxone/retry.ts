import pRetry from 'p-retry'

/** A failed attempt worth repeating: 429, 5xx, 408, no answer. */
export class Retryable extends Error {
  constructor (
    readonly why: string,
    /** CXone's status, when it answered. */
    readonly status?: number,
    /** What CXone asked for (Retry-After); undefined: our own backoff. */
    readonly retryAfterMs?: number,
    options?: { cause?: unknown }
  ) {
    super(why, options)
    this.name = 'Retryable'
  }
}

/** Raised when the next wait would end past the deadline: the last failure, and the wait that was refused. */
export class GaveUp extends Error {
  constructor (readonly last: Retryable, readonly waitMs: number) {
    super(last.retryAfterMs === undefined
      ? `${last.why}; the next attempt would start after the deadline`
      : `${last.why}; waiting the ${Math.ceil(last.retryAfterMs / 1000)} s it asked for (Retry-After) would pass the deadline`)
    this.name = 'GaveUp'
  }
}

export interface RetryPolicy {
  maxAttempts: number
  baseDelayMs: number
  maxDelayMs: number
}

/** Six attempts, backoff from 250 ms up to 5 s with full jitter; a Retry-After from CXone replaces the backoff. */
export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 6, baseDelayMs: 250, maxDelayMs: 5000 }

export interface RetryOptions {
  /** Epoch ms; read before every wait, so shared work can move it. */
  deadline: () => number
  signal?: AbortSignal
  policy: RetryPolicy
  onRetry?: (failure: Retryable, attemptNumber: number, delayMs: number) => void
}

const sleep = async (ms: number, signal: AbortSignal | undefined): Promise<void> => {
  await new Promise<void>((resolve, reject) => {
    const done = (): void => { signal?.removeEventListener('abort', abort); resolve() }
    const abort = (): void => { clearTimeout(timer); reject(signal?.reason) }
    const timer = setTimeout(done, ms)
    signal?.addEventListener('abort', abort, { once: true })
  })
}

/** The wait before attempt `attemptNumber + 1`. A Retry-After is a floor: up to a tenth more spreads callers told the same. */
export function delayFor (failure: Retryable, attemptNumber: number, policy: RetryPolicy): number {
  if (failure.retryAfterMs !== undefined) return Math.ceil(failure.retryAfterMs * (1 + Math.random() / 10))
  return Math.floor(Math.random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attemptNumber - 1)))
}

/**
 * Runs `attempt` again after a `Retryable` only, never waiting past the deadline: a wait that would end after it
 * gives up at once, with `GaveUp`. Anything else thrown ends the retries and is thrown as it is.
 */
export async function retrying<T> (attempt: (attemptNumber: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const { policy, signal } = options
  let refused: GaveUp | undefined
  try {
    return await pRetry(attempt, {
      retries: policy.maxAttempts - 1,
      // p-retry's own delay is off: the wait in shouldRetry is the one that counts.
      minTimeout: 0,
      signal,
      shouldRetry: async ({ error, attemptNumber }) => {
        if (!(error instanceof Retryable)) return false
        const delay = delayFor(error, attemptNumber, policy)
        if (Date.now() + delay >= options.deadline()) {
          refused = new GaveUp(error, delay)
          return false
        }
        options.onRetry?.(error, attemptNumber, delay)
        await sleep(delay, signal)
        return true
      }
    })
  } catch (error) {
    if (refused && refused.last === error) throw refused
    throw error
  }
}
