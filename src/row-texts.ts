import type { Row } from './warehouse/rows.js'

/**
 * Rows as JSON text, joined by commas as they appear inside an answer's `rows` array: each row is serialized
 * once, as it arrives from Snowflake, then sent, cached and read back as text, never parsed again on a hit.
 */
export class RowTexts {
  static readonly none = new RowTexts('', [])

  /** `ends[i]` is where row i's text ends in `text`; one comma follows each row but the last. */
  constructor (readonly text: string, readonly ends: readonly number[]) {}

  static of (rows: readonly Row[]): RowTexts {
    const builder = new RowTextsBuilder()
    builder.add(rows)
    return builder.build()
  }

  get count (): number {
    return this.ends.length
  }

  /** Rows [from, to). */
  slice (from: number, to: number): RowTexts {
    const stop = Math.min(to, this.ends.length)
    if (from === 0 && stop === this.ends.length) return this
    if (from >= stop) return RowTexts.none
    const start = this.#start(from)
    return new RowTexts(this.text.slice(start, this.ends[stop - 1]), this.ends.slice(from, stop).map((end) => end - start))
  }

  /** The rows as values, for the few readers that need one (a job's signal). */
  parse (): Row[] {
    return JSON.parse(`[${this.text}]`) as Row[]
  }

  #start (i: number): number {
    return i === 0 ? 0 : (this.ends[i - 1] as number) + 1
  }
}

/** Collects rows' texts batch by batch; `take` hands over what was collected and starts anew. */
export class RowTextsBuilder {
  #parts: string[] = []
  #ends: number[] = []
  #length = 0

  get count (): number {
    return this.#ends.length
  }

  add (rows: readonly Row[]): void {
    for (const row of rows) this.push(JSON.stringify(row))
  }

  push (text: string): void {
    if (this.#ends.length > 0) this.#length++
    this.#parts.push(text)
    this.#length += text.length
    this.#ends.push(this.#length)
  }

  build (): RowTexts {
    return this.#ends.length === 0 ? RowTexts.none : new RowTexts(this.#parts.join(','), this.#ends)
  }

  take (): RowTexts {
    const texts = this.build()
    this.#parts = []
    this.#ends = []
    this.#length = 0
    return texts
  }
}

/** Rows read from several stored pieces, in order, as one. */
export function joinRowTexts (pieces: readonly RowTexts[]): RowTexts {
  const nonEmpty = pieces.filter((piece) => piece.count > 0)
  if (nonEmpty.length <= 1) return nonEmpty[0] ?? RowTexts.none
  const ends: number[] = []
  let base = 0
  for (const piece of nonEmpty) {
    for (const end of piece.ends) ends.push(base + end)
    base += piece.text.length + 1
  }
  return new RowTexts(nonEmpty.map((piece) => piece.text).join(','), ends)
}
