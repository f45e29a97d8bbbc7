import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

/** An HMAC-SHA256 in base64url, and the dot after it. */
const macLength = 43
const dot = 0x2e
/** Entries remembered as verified, each with its stored text (one page of rows). */
const verifiedLimit = 1000

/** A stored entry's two parts: its header's JSON, and its rows' texts (see RowTexts). */
export interface OpenedEntry {
  header: string
  rows: string
}

/**
 * Cache entries are stored as `<mac>.<header JSON>\n<rows>`, the MAC over the entry's key, header and rows under
 * a key only the gateway holds (derived from CURSOR_SECRET). Another writer of Redis can neither forge an entry
 * nor move one under another key (another tenant's, other variables', another page's). The bytes are checked
 * before anything parses them, and only the small header is ever parsed: the rows are sent as they are.
 */
export class EntrySigner {
  readonly #key: Buffer
  /** The last entry verified under each key: a hot entry read again is the same bytes, compared, not MACed again. */
  readonly #verified = new Map<string, { stored: string, entry: OpenedEntry }>()

  /** Without a secret the key is random per process: entries then do not survive a restart or reach other replicas. */
  constructor (secret: string | undefined) {
    this.#key = createHmac('sha256', secret ? Buffer.from(secret) : randomBytes(32)).update('cache-entries').digest()
  }

  sign (key: string, header: unknown, rows: string): string {
    const json = JSON.stringify(header)
    return `${this.#mac(key, json, rows).toString('base64url')}.${json}\n${rows}`
  }

  /** The parts of an entry signed under `key` by this gateway, else undefined. */
  verify (key: string, stored: string): OpenedEntry | undefined {
    const last = this.#verified.get(key)
    if (last !== undefined && last.stored === stored) return last.entry
    const entry = this.#check(key, stored)
    if (entry !== undefined) {
      if (this.#verified.size >= verifiedLimit) this.#verified.clear()
      this.#verified.set(key, { stored, entry })
    }
    return entry
  }

  #check (key: string, stored: string): OpenedEntry | undefined {
    if (stored.length <= macLength + 1 || stored.charCodeAt(macLength) !== dot) return undefined
    // JSON.stringify never writes a raw newline: the first one ends the header.
    const split = stored.indexOf('\n', macLength + 1)
    if (split < 0) return undefined
    const header = stored.slice(macLength + 1, split)
    const rows = stored.slice(split + 1)
    const given = Buffer.from(stored.slice(0, macLength), 'base64url')
    const expected = this.#mac(key, header, rows)
    return given.length === expected.length && timingSafeEqual(given, expected) ? { header, rows } : undefined
  }

  #mac (key: string, header: string, rows: string): Buffer {
    return createHmac('sha256', this.#key).update(key).update('\n').update(header).update('\n').update(rows).digest()
  }
}
