import type { ServerResponse } from 'node:http'
import type { FastifyInstance } from 'fastify'
import { ShuttingDown } from './errors.js'

/** After the grace period has cancelled what still runs, how long answers may take before sockets are cut. */
const cancelBoundMs = 2000

/** Work a shutdown can stop: a request's Call. */
export interface Stoppable {
  abort: (reason: unknown) => void
}

/** Knows whether the app is shutting down, and which requests are still working, so they can be cancelled. */
export class Drain {
  #closing = false
  #refusing = false
  readonly #inFlight = new Set<Stoppable>()
  readonly #held = new Set<Stoppable>()
  #whenIdle: Array<() => void> = []

  get closing (): boolean {
    return this.#closing
  }

  /** The server is closing: a request that still reaches it (on a kept-alive connection) is refused. */
  get refusing (): boolean {
    return this.#refusing
  }

  get inFlight (): number {
    return this.#inFlight.size
  }

  /** Ties a request's work to the shutdown, until its response is done. */
  track (work: Stoppable, response: ServerResponse): void {
    this.#inFlight.add(work)
    response.once('close', () => { this.#inFlight.delete(work) })
  }

  /** Ties background work (a job, the rest of a cache fill) to the shutdown until the returned release is called. */
  hold (work: Stoppable): () => void {
    this.#inFlight.add(work)
    this.#held.add(work)
    return () => {
      this.#inFlight.delete(work)
      this.#held.delete(work)
      if (this.#held.size === 0) for (const resolve of this.#whenIdle.splice(0)) resolve()
    }
  }

  /** Resolves once no background work is held. */
  async idle (): Promise<void> {
    if (this.#held.size === 0) return
    await new Promise<void>((resolve) => { this.#whenIdle.push(resolve) })
  }

  begin (): void {
    this.#closing = true
  }

  refuse (): void {
    this.#closing = true
    this.#refusing = true
  }

  /** Aborts every tracked request: their statements are cancelled and they answer 503 SHUTTING_DOWN. */
  cancel (): number {
    const count = this.#inFlight.size
    for (const work of this.#inFlight) work.abort(new ShuttingDown())
    this.#inFlight.clear()
    return count
  }
}

export interface ShutdownOptions {
  /** Readiness fails at once; requests are still served for this long, so load balancers stop sending first. */
  delayMs: number
  /** How long in-flight requests may take to finish before they are cancelled. */
  graceMs: number
}

/**
 * Closes the HTTP side: readiness fails, new connections are refused, in-flight requests and background work
 * (jobs, the rest of cache fills) finish within the grace period, then what remains is cancelled (statements
 * included), and at last any socket still open is cut. Pools and the cache are closed after this by the service.
 */
export async function closeApp (app: FastifyInstance, options: ShutdownOptions): Promise<void> {
  app.drain.begin()
  if (options.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, options.delayMs))
  const closed = app.close()
  let cut: NodeJS.Timeout | undefined
  const grace = setTimeout(() => {
    const cancelled = app.drain.cancel()
    if (cancelled > 0) app.log.warn({ cancelled, graceMs: options.graceMs }, 'shutdown grace period over: cancelled the requests still running')
    cut = setTimeout(() => app.server.closeAllConnections(), cancelBoundMs)
  }, options.graceMs)
  try {
    await closed
    await app.drain.idle()
  } finally {
    clearTimeout(grace)
    clearTimeout(cut)
  }
}
