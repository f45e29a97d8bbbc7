const censor = '[redacted]'
/**
 * A line of a multi-line value is redacted on its own, because messages are often cut at a line end;
 * shorter lines are not: they say little about the value and would blank out every "a" or "12".
 */
const shortestLine = 3
/** As deep as pino writes objects (its depthLimit): anything deeper never reaches the log anyway. */
const deepest = 5

/**
 * Each form a value takes where Snowflake, the driver or a log quotes it: as it is; JSON-escaped, as in
 * JSON bodies and serialised errors (a line break becomes `\n`); with single quotes doubled, as in a SQL
 * string literal; and each of its lines, for messages cut at the first line break.
 */
function formsOf (value: string): string[] {
  const pieces = [value]
  if (/[\r\n]/.test(value)) {
    for (const line of value.split(/\r\n|\r|\n/)) {
      const trimmed = line.trim()
      if (trimmed.length >= shortestLine) pieces.push(trimmed)
    }
  }
  return pieces.flatMap((piece) => [piece, JSON.stringify(piece).slice(1, -1), piece.replaceAll("'", "''")])
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
/** A blank value hides nothing, and redacting it would blank out every space. */
const visible = (value: string): boolean => /\S/.test(value)

/** Replaces every form of a set of values, in one pass; overlapping and adjacent occurrences become one `[redacted]`. */
export class Redaction {
  readonly #values: readonly string[]
  #pattern: RegExp | undefined

  private constructor (values: readonly string[]) {
    this.#values = values
  }

  /** Null when there is nothing to hide; otherwise nothing is built until something is scrubbed. */
  static of (values: readonly string[] | null | undefined): Redaction | null {
    return values?.some(visible) ? new Redaction(values) : null
  }

  /** One redaction for the values of many. */
  static union (redactions: Iterable<Redaction>): Redaction | null {
    const values: string[] = []
    for (const redaction of redactions) values.push(...redaction.#values)
    return Redaction.of(values)
  }

  text (text: string): string {
    // Built on first use: most requests with sensitive values succeed and never scrub anything.
    const pattern = this.#pattern ??= this.#build()
    let clean = ''
    let copied = 0
    let runEnd = -1
    pattern.lastIndex = 0
    for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
      const start = match.index
      const end = start + (match[1] ?? '').length
      // The lookahead matches without consuming, so every start is tried: a value inside or across another is found too.
      pattern.lastIndex = start + 1
      if (runEnd >= start) {
        runEnd = Math.max(runEnd, end)
        continue
      }
      if (runEnd >= 0) {
        clean += censor
        copied = runEnd
      }
      clean += text.slice(copied, start)
      runEnd = end
    }
    return runEnd < 0 ? text : clean + censor + text.slice(runEnd)
  }

  /** A copy of a value with every string in it scrubbed; errors keep their class, so a log's `type` stays true. */
  value<T> (value: T): T {
    return this.#copy(value, 0, new WeakMap()) as T
  }

  #build (): RegExp {
    const forms = [...new Set(this.#values.filter(visible).flatMap(formsOf))].sort((a, b) => b.length - a.length)
    return new RegExp(`(?=(${forms.map(escapeRegExp).join('|')}))`, 'g')
  }

  #copy (value: unknown, depth: number, copies: WeakMap<object, unknown>): unknown {
    if (typeof value === 'string') return this.text(value)
    if (value === null || typeof value !== 'object') return value
    const known = copies.get(value)
    if (known !== undefined) return known
    if (depth >= deepest) return Array.isArray(value) ? '[Array]' : '[Object]'
    if (Array.isArray(value)) {
      const copy: unknown[] = []
      copies.set(value, copy)
      for (const item of value) copy.push(this.#copy(item, depth + 1, copies))
      return copy
    }
    if (!(value instanceof Error) && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
      return this.#copy((value as { toJSON: () => unknown }).toJSON(), depth, copies)
    }
    // An error's message, stack and cause are own but not enumerable: copied as they are.
    const copy: Record<string, unknown> = value instanceof Error ? Object.create(Object.getPrototypeOf(value) as object) as Record<string, unknown> : {}
    copies.set(value, copy)
    const keys = value instanceof Error ? Object.getOwnPropertyNames(value) : Object.keys(value)
    for (const key of keys) {
      const enumerable = Object.prototype.propertyIsEnumerable.call(value, key)
      const inner = this.#copy((value as Record<string, unknown>)[key], depth + 1, copies)
      Object.defineProperty(copy, key, { value: inner, enumerable, writable: true, configurable: true })
    }
    return copy
  }
}

/**
 * The sensitive values of the requests in flight, for log lines that belong to no request: the driver's.
 * A request holds its values from when it gathers them until its response closes.
 */
class InFlight {
  readonly #holds = new Map<Redaction, number>()
  /** Undefined when the holds changed since it was built. */
  #union: Redaction | null | undefined

  /** Each hold needs one release; a redaction held twice (a request and its background refresh) stays until both. */
  hold (redaction: Redaction): void {
    this.#holds.set(redaction, (this.#holds.get(redaction) ?? 0) + 1)
    this.#union = undefined
  }

  release (redaction: Redaction): void {
    const count = this.#holds.get(redaction)
    if (count === undefined) return
    if (count > 1) this.#holds.set(redaction, count - 1)
    else this.#holds.delete(redaction)
    this.#union = undefined
  }

  text (text: string): string {
    if (this.#holds.size === 0) return text
    this.#union ??= Redaction.union(this.#holds.keys())
    return this.#union === null ? text : this.#union.text(text)
  }
}

export const inFlight = new InFlight()
