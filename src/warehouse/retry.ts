import pRetry from 'p-retry'
import { isTransient } from './transient.js'

export interface RetryOptions {
  /** Epoch ms after which no attempt may start. */
  deadline: number
  signal: AbortSignal
  baseDelayMs?: number
  maxDelayMs?: number
  maxAttempts?: number
  onRetry?: (error: unknown, attempt: number) => void
}

const sleep = async (ms: number, signal: AbortSignal): Promise<void> => {
  // 'abort' fires once: a signal that aborted before the wait began would never end it early.
  signal.throwIfAborted()
  await new Promise<void>((resolve, reject) => {
    const done = (): void => { signal.removeEventListener('abort', abort); resolve() }
    const abort = (): void => { clearTimeout(timer); reject(signal.reason) }
    const timer = setTimeout(done, ms)
    signal.addEventListener('abort', abort, { once: true })
  })
}

/**
 * Runs `attempt` again after transient faults only, with exponential backoff and full jitter,
 * and never waits past the deadline: a wait that would end after it gives up at once instead.
 */
export async function withRetries<T> (attempt: (attemptNumber: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const { deadline, signal, baseDelayMs = 100, maxDelayMs = 2000, maxAttempts = 5 } = options
  return await pRetry(attempt, {
    retries: maxAttempts - 1,
    minTimeout: 0,
    signal,
    shouldRetry: async ({ error, attemptNumber }) => {
      if (!isTransient(error)) return false
      const delay = Math.random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (attemptNumber - 1))
      if (Date.now() + delay >= deadline) return false
      options.onRetry?.(error, attemptNumber)
      // p-retry's own delay is off (minTimeout 0): this wait is the full-jitter backoff.
      await sleep(delay, signal)
      return true
    }
  })
}
