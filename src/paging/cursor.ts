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
}

interface Payload {
  t: string
  a: string
  h: string
  q: string
  k: string
  o: number
  n: number
  /** Expiry, epoch seconds. */
  e: number
}

export class CursorError extends Error {}

/** Opaque, HMAC-signed page cursors: a client can carry them but not forge or alter them. */
export class CursorCodec {
  readonly #secret: Buffer

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
      e: Math.floor(now / 1000) + this.ttlSeconds
    }
    const body = Buffer.from(JSON.stringify(payload)).toString('base64url')
    return `${body}.${this.#sign(body)}`
  }

  decode (cursor: string, tenant: string, actionId: string, definitionHash: string, now = Date.now()): CursorPosition {
    const [body, signature, extra] = cursor.split('.')
    if (!body || !signature || extra !== undefined) throw new CursorError('The cursor is malformed')
    const expected = Buffer.from(this.#sign(body))
    const given = Buffer.from(signature)
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
      throw new CursorError('The cursor was not issued by this gateway or has been altered')
    }
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString()) as Payload
    if (payload.t !== tenant) throw new CursorError('The cursor belongs to another tenant')
    if (payload.a !== actionId) throw new CursorError(`The cursor belongs to action '${payload.a}', not '${actionId}'`)
    if (payload.h !== definitionHash) throw new CursorError('The action has changed since the cursor was issued; run it again')
    if (payload.e * 1000 < now) throw new CursorError('The cursor has expired; run the action again')
    return { tenant: payload.t, actionId: payload.a, definitionHash: payload.h, queryId: payload.q, resultKey: payload.k, offset: payload.o, size: payload.n }
  }

  #sign (body: string): string {
    return createHmac('sha256', this.#secret).update(body).digest('base64url')
  }
}
