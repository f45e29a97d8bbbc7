import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

/** Where the next page starts, and which result it belongs to. */
export interface CursorPosition {
  tenant: string
  actionId: string
  definitionHash: string
  queryId: string
  /** The cache key of the result, so the page can come from the cache. */
  resultKey: string
  offset: number
  size: number
  /** Per bound variable, a keyed digest of the value the result was made from: to tell a contradicting variable by name. */
  variables?: Record<string, string>
}

interface Payload {
  t: string
  a: string
  h: string
  q: string
  k: string
  o: number
  n: number
  v?: Record<string, string>
  /** Expiry, epoch seconds. */
  e: number
}

export class CursorError extends Error {}

/** Signatures are pure functions of their input: the same list page asked for by many callers is signed once. */
const memoLimit = 10_000

/** A bounded memo, emptied when full: hot inputs come back at once, cold ones cost a Map entry until then. */
class Memo<T> {
  readonly #values = new Map<string, T>()

  get (input: string, make: (input: string) => T): T {
    let value = this.#values.get(input)
    if (value === undefined) {
      if (this.#values.size >= memoLimit) this.#values.clear()
      value = make(input)
      this.#values.set(input, value)
    }
    return value
  }

  clear (): void {
    this.#values.clear()
  }
}

/** Opaque, HMAC-signed page cursors: a client can carry them but not forge or alter them. */
export class CursorCodec {
  readonly #secret: Buffer
  /** Cursors of the current expiry second, by payload; a cursor's only changing field is its expiry. */
  readonly #cursors = new Memo<string>()
  #cursorsExpiry = 0
  readonly #digests = new Memo<Record<string, string>>()
  /** Payloads of cursors whose signature checked out: the next page of a hot list is asked for by many callers. */
  readonly #verified = new Memo<Payload>()

  constructor (secret: string | undefined, readonly ttlSeconds: number) {
    this.#secret = secret ? Buffer.from(secret) : randomBytes(32)
  }

  encode (position: CursorPosition, now = Date.now()): string {
    const payload: Payload = {
      t: position.tenant,
      a: position.actionId,
      h: position.definitionHash,
      q: position.queryId,
      k: position.resultKey,
      o: position.offset,
      n: position.size,
      ...(position.variables ? { v: position.variables } : {}),
      e: Math.floor(now / 1000) + this.ttlSeconds
    }
    if (payload.e !== this.#cursorsExpiry) {
      this.#cursors.clear()
      this.#cursorsExpiry = payload.e
    }
    return this.#cursors.get(JSON.stringify(payload), (json) => {
      const body = Buffer.from(json).toString('base64url')
      return `${body}.${this.#sign(body)}`
    })
  }

  decode (cursor: string, tenant: string, actionId: string, definitionHash: string, now = Date.now()): CursorPosition {
    const payload = this.#verified.get(cursor, (given) => this.#open(given))
    if (payload.t !== tenant) throw new CursorError('The cursor belongs to another tenant')
    if (payload.a !== actionId) throw new CursorError(`The cursor belongs to action '${payload.a}', not '${actionId}'`)
    if (payload.h !== definitionHash) throw new CursorError('The action has changed since the cursor was issued; run it again')
    if (payload.e * 1000 < now) throw new CursorError('The cursor has expired; run the action again')
    return { tenant: payload.t, actionId: payload.a, definitionHash: payload.h, queryId: payload.q, resultKey: payload.k, offset: payload.o, size: payload.n, variables: payload.v }
  }

  /**
   * The digests of the bound variables' values, keyed by the secret, so a cursor shows no value (not even a
   * guessable one). `resultKey`, the hash of exactly these names and values, lets a hot result's be made once
   * (the memo holds hashes, never the values).
   */
  digests (names: readonly string[], variables: Record<string, unknown>, resultKey?: string): Record<string, string> {
    const make = (): Record<string, string> => {
      const digests: Record<string, string> = {}
      for (const name of names) digests[name] = createHmac('sha256', this.#secret).update(`${name}\n${JSON.stringify(variables[name] ?? null)}`).digest('base64url').slice(0, 11)
      return digests
    }
    return resultKey === undefined ? make() : this.#digests.get(resultKey, make)
  }

  /** The variables among `sent` whose values differ from those the cursor's result was made from. */
  contradicted (position: CursorPosition, names: readonly string[], sent: readonly string[], variables: Record<string, unknown>): string[] {
    if (!position.variables) return []
    const now = this.digests(names.filter((name) => sent.includes(name)), variables)
    return Object.keys(now).filter((name) => position.variables?.[name] !== undefined && position.variables[name] !== now[name])
  }

  /** The payload of a cursor this codec signed; throws (and nothing is kept) for any other. */
  #open (cursor: string): Payload {
    const [body, signature, extra] = cursor.split('.')
    if (!body || !signature || extra !== undefined) throw new CursorError('The cursor is malformed')
    const expected = Buffer.from(this.#sign(body))
    const given = Buffer.from(signature)
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
      throw new CursorError('The cursor was not issued by this gateway or has been altered')
    }
    return JSON.parse(Buffer.from(body, 'base64url').toString()) as Payload
  }

  #sign (body: string): string {
    return createHmac('sha256', this.#secret).update(body).digest('base64url')
  }
}
