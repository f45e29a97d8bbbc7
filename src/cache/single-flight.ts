/** Concurrent calls with one key share the first caller's work instead of repeating it. */
export class SingleFlight<T> {
  readonly #inflight = new Map<string, Promise<T>>()

  async run (key: string, work: () => Promise<T>): Promise<{ value: T, shared: boolean }> {
    const running = this.#inflight.get(key)
    if (running) return { value: await running, shared: true }
    const promise = work().finally(() => this.#inflight.delete(key))
    this.#inflight.set(key, promise)
    return { value: await promise, shared: false }
  }

  has (key: string): boolean {
    return this.#inflight.has(key)
  }
}
