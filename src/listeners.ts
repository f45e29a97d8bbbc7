/** Lets observers (metrics) follow what a component does without the component knowing who listens. */
export class Listeners<T> {
  readonly #listeners = new Set<(value: T) => void>()

  /** Returns the function that stops listening. */
  on (listener: (value: T) => void): () => void {
    this.#listeners.add(listener)
    return () => { this.#listeners.delete(listener) }
  }

  emit (value: T): void {
    for (const listener of this.#listeners) {
      // An observer's mistake must never fail the request it observes.
      try { listener(value) } catch {}
    }
  }
}
