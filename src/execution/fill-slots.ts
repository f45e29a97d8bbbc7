/**
 * How many cache fills this process runs at once. A fill reads, checks and stores the whole result (up to
 * maxRows) after its first page has been answered; past the limit a miss is answered from one page-size window
 * and not stored, so a burst of large distinct misses cannot make every later first page wait for its fills.
 */
export class FillSlots {
  #busy = 0
  /** Misses answered without being stored because every slot was busy. */
  skipped = 0

  constructor (readonly limit: number) {}

  get busy (): number {
    return this.#busy
  }

  /** A slot, with its release; undefined when all are busy. */
  take (): (() => void) | undefined {
    if (this.#busy >= this.limit) {
      this.skipped++
      return undefined
    }
    this.#busy++
    let released = false
    return () => {
      if (released) return
      released = true
      this.#busy--
    }
  }
}
