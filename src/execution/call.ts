/**
 * Every reason one call's work must stop, owned in one place: its deadline, and whatever else is linked to it
 * (its caller hanging up, a shutdown whose grace ran out, every waiter of shared work having gone). Whatever
 * does the work (waiting for a connection, executing, downloading rows) listens to `signal` and to nothing else.
 */
export class Call {
  /** Epoch ms. */
  readonly at: number
  readonly budgetMs: number
  #controller: AbortController | undefined
  #timer: NodeJS.Timeout | undefined
  #onFirstSignal: ((call: Call) => void) | undefined

  /** `onFirstSignal`: links the call to what else may stop it, once there is work to stop (a cache hit has none). */
  constructor (budgetMs: number, onFirstSignal?: (call: Call) => void) {
    this.budgetMs = budgetMs
    this.at = Date.now() + budgetMs
    this.#onFirstSignal = onFirstSignal
  }

  get signal (): AbortSignal {
    if (!this.#controller) {
      this.#controller = new AbortController()
      this.#timer = setTimeout(expire, Math.max(0, this.at - Date.now()), this)
      const link = this.#onFirstSignal
      this.#onFirstSignal = undefined
      link?.(this)
    }
    return this.#controller.signal
  }

  abort (reason: unknown): void {
    // Reading the signal first makes sure it exists and is linked.
    if (!this.signal.aborted) this.#controller?.abort(reason)
    clearTimeout(this.#timer)
  }

  /** The deadline stops counting (a stream whose statement has answered); the linked reasons still stop the call. */
  endDeadline (): void {
    clearTimeout(this.#timer)
  }

  dispose (): void {
    clearTimeout(this.#timer)
  }
}

function expire (call: Call): void {
  call.abort(new DeadlineReached(call.budgetMs))
}

/** The action's timeout, lowered (never raised) by what the caller says it will wait. */
export function budgetOf (actionTimeoutMs: number, requestedMs: number | undefined): number {
  return requestedMs !== undefined && requestedMs > 0 ? Math.min(actionTimeoutMs, requestedMs) : actionTimeoutMs
}

/** A call stopped by another signal too (shared work stopped when its last waiter leaves). */
export function linkedTo (signal: AbortSignal): (call: Call) => void {
  return (call) => {
    if (signal.aborted) call.abort(signal.reason)
    else signal.addEventListener('abort', () => { call.abort(signal.reason) }, { once: true })
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
