import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

/** An HMAC-SHA256 in base64url, and the dot after it. */
const macLength = 43
const dot = 0x2e

/**
 * Cache entries are stored as `<mac>.<json>`, the MAC over the entry's key and its JSON under a key only the
 * gateway holds (derived from CURSOR_SECRET). Another writer of Redis can neither forge an entry nor move
 * one under another key (another tenant's, other variables', another page's). The bytes are checked before
 * anything parses them.
 */
export class EntrySigner {
  readonly #key: Buffer

  /** Without a secret the key is random per process: entries then do not survive a restart or reach other replicas. */
  constructor (secret: string | undefined) {
    this.#key = createHmac('sha256', secret ? Buffer.from(secret) : randomBytes(32)).update('cache-entries').digest()
  }

  sign (key: string, value: unknown): string {
    const json = JSON.stringify(value)
    return `${this.#mac(key, json).toString('base64url')}.${json}`
  }

  /** The JSON of an entry signed under `key` by this gateway, else undefined. */
  verify (key: string, stored: string): string | undefined {
    if (stored.length <= macLength + 1 || stored.charCodeAt(macLength) !== dot) return undefined
    const json = stored.slice(macLength + 1)
    const given = Buffer.from(stored.slice(0, macLength), 'base64url')
    const expected = this.#mac(key, json)
    return given.length === expected.length && timingSafeEqual(given, expected) ? json : undefined
  }

  #mac (key: string, json: string): Buffer {
    // JSON.stringify never writes a raw newline, so the last one parts the key from the JSON.
    return createHmac('sha256', this.#key).update(key).update('\n').update(json).digest()
  }
}
