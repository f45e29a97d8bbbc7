/** Phases of one request, rendered as a `Server-Timing` header and the answer's `profile`. */
export class Timings {
  readonly #started = performance.now()
  readonly #phases = new Map<string, number>()

  add (phase: string, ms: number): void {
    this.#phases.set(phase, (this.#phases.get(phase) ?? 0) + ms)
  }

  async measure<T> (phase: string, work: () => Promise<T>): Promise<T> {
    const start = performance.now()
    try {
      return await work()
    } finally {
      this.add(phase, performance.now() - start)
    }
  }

  measureSync<T> (phase: string, work: () => T): T {
    const start = performance.now()
    try {
      return work()
    } finally {
      this.add(phase, performance.now() - start)
    }
  }

  /** Milliseconds per phase, with `total` since the request began. */
  profile (): Record<string, number> {
    const profile: Record<string, number> = {}
    for (const [phase, ms] of this.#phases) profile[phase] = round(ms)
    profile.total = round(performance.now() - this.#started)
    return profile
  }

  header (profile = this.profile()): string {
    return Object.entries(profile).map(([phase, ms]) => `${phase};dur=${ms}`).join(', ')
  }
}

const round = (ms: number): number => Math.round(ms * 100) / 100
