import { untilAborted } from '../abortable.js'

interface Flight<T> {
  promise: Promise<T>
  /** Stops the work: every caller that waited for it has gone. */
  controller: AbortController
  waiting: number
  /** The work has answered: its callers are done with it, and none may stop what it goes on doing. */
  answered: boolean
}

/** Keeps a flight joinable after it has answered, until `until` settles (the rest of its work). */
export type Linger = (until: Promise<unknown>) => void

/**
 * Concurrent calls with one key share one piece of work instead of repeating it. The work belongs to none of
 * them: it runs under its own signal, which aborts only when every caller that waited has gone, and each caller
 * waits under its own signal, so one that gives up (its deadline, its hang-up) leaves the others theirs.
 */
export class SingleFlight<T> {
  readonly #inflight = new Map<string, Flight<T>>()

  /** `waiter`: the caller's own signal; without one (background work) the caller never leaves and never stops it. */
  async run (key: string, work: (signal: AbortSignal, lingerUntil: Linger) => Promise<T>, waiter?: AbortSignal): Promise<{ value: T, shared: boolean }> {
    let flight = this.#inflight.get(key)
    const shared = flight !== undefined
    if (!flight) {
      const controller = new AbortController()
      const lingering: Array<Promise<unknown>> = []
      const promise = work(controller.signal, (until) => { lingering.push(until) })
      const started: Flight<T> = { promise, controller, waiting: 0, answered: false }
      const forget = (): void => {
        if (this.#inflight.get(key) === started) this.#inflight.delete(key)
      }
      // Nobody may be left to hear of a failure.
      promise.then(async () => {
        started.answered = true
        await Promise.allSettled(lingering)
      }, () => {}).finally(forget)
      this.#inflight.set(key, started)
      flight = started
    }
    if (!waiter) return { value: await flight.promise, shared }
    flight.waiting++
    try {
      return { value: await untilAborted(flight.promise, waiter), shared }
    } finally {
      flight.waiting--
      if (flight.waiting === 0 && waiter.aborted) this.#abandon(key, flight, waiter.reason)
    }
  }

  has (key: string): boolean {
    return this.#inflight.has(key)
  }

  #abandon (key: string, flight: Flight<T>, reason: unknown): void {
    if (flight.answered) return
    // A caller arriving from now on starts afresh rather than joining work that is being stopped.
    if (this.#inflight.get(key) === flight) this.#inflight.delete(key)
    flight.controller.abort(reason)
  }
}
