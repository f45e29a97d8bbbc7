/** Phases of one request, rendered as a `Server-Timing` header and the answer's `profile`. */
export class Timings {
  readonly #started = performance.now()
  readonly #phases: Record<string, number> = {}

  add (phase: string, ms: number): void {
    this.#phases[phase] = (this.#phases[phase] ?? 0) + ms
  }

  /** Adds another's phases: a caller that waited for shared work took as long as the work's phases did. */
  absorb (other: Timings): void {
    for (const phase in other.#phases) this.add(phase, other.#phases[phase] as number)
  }

  /** Adds the time since `start` (a `performance.now()` reading) to `phase`. */
  since (phase: string, start: number): void {
    this.add(phase, performance.now() - start)
  }

  async measure<T> (phase: string, work: () => Promise<T>): Promise<T> {
    const start = performance.now()
    try {
      return await work()
    } finally {
      this.since(phase, start)
    }
  }

  measureSync<T> (phase: string, work: () => T): T {
    const start = performance.now()
    try {
      return work()
    } finally {
      this.since(phase, start)
    }
  }

  /** Milliseconds per phase, with `total` since the request began. */
  profile (): Record<string, number> {
    const profile: Record<string, number> = {}
    for (const phase in this.#phases) profile[phase] = round(this.#phases[phase] as number)
    profile.total = round(performance.now() - this.#started)
    return profile
  }

  header (profile = this.profile()): string {
    let header = ''
    for (const phase in profile) header += `${header === '' ? '' : ', '}${phase};dur=${profile[phase] as number}`
    return header
  }
}

const round = (ms: number): number => Math.round(ms * 100) / 100
