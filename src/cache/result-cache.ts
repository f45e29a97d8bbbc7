import type { Logger } from 'pino'
import type { Listeners } from '../listeners.js'
import { joinRowTexts, RowTexts, RowTextsBuilder } from '../row-texts.js'
import { EntrySigner } from './entry-signer.js'
import { isResultHeader, rowTextsOf, type ResultHeader } from './entry-shape.js'
import { FAULT, FailOpenStore, type FailOpenOptions } from './fail-open.js'
import { actionPrefix } from './result-key.js'
import type { CacheStore } from './store.js'

export type { ResultHeader as CachedResult } from './entry-shape.js'

export type CacheRead =
  | { status: 'hit', result: ResultHeader, rows: RowTexts, stale: boolean }
  | { status: 'miss' }
  | { status: 'fault' }

export interface CacheStats {
  hits: number
  misses: number
  bypasses: number
}

/** What a lookup of a cached action came to: `bypass` when the cache did not answer or was skipped. */
export type CacheLookup = 'hit' | 'miss' | 'bypass'

/** The fill lock: `held` by this caller, `busy` (another caller or replica holds it), or the cache did not answer. */
export type FillLock = 'held' | 'busy' | 'unavailable'

export interface ResultCacheOptions extends FailOpenOptions {
  /** Entries are signed with a key derived from it; absent, a random key per process. */
  secret?: string
}

const MISSED: CacheRead = { status: 'miss' }
const FAULTED: CacheRead = { status: 'fault' }
const UNSIGNED = Symbol('not signed by this gateway')
const MALFORMED = Symbol('not the shape this gateway writes')
const noEntries: Array<string | undefined> = []

/**
 * Whole results stored as entries of one default-size page each, plus the metadata, which carries the first
 * page: the common first-page hit is one GET whose rows are sent as stored, never parsed. Entries are keyed
 * by query id and written before the metadata, so a reader never sees a result that is not complete. Every
 * entry is signed and checked when read: one that was not written by this gateway under its key, or is not
 * the shape the gateway writes, is a fault, and the result's metadata is deleted so the next call fills it again.
 */
export class ResultCache {
  readonly #stats: CacheStats = { hits: 0, misses: 0, bypasses: 0 }
  readonly #store: FailOpenStore
  readonly #signer: EntrySigner
  /** The operation of each cache call that failed or timed out (the request went on without the cache). */
  readonly faults: Listeners<string>

  constructor (store: CacheStore, logger: Logger, options: ResultCacheOptions) {
    this.#store = new FailOpenStore(store, logger, { warnIntervalMs: options.warnIntervalMs })
    this.#signer = new EntrySigner(options.secret)
    this.faults = this.#store.faults
  }

  get kind (): CacheStore['kind'] {
    return this.#store.store.kind
  }

  /** A copy of the lookup counts, for metrics. */
  get stats (): CacheStats {
    return { ...this.#stats }
  }

  /** Counted by the caller that looked up, not by `read`: a fill polling for another's result is no lookup. */
  countLookup (result: CacheLookup): void {
    if (result === 'hit') this.#stats.hits++
    else if (result === 'miss') this.#stats.misses++
    else this.#stats.bypasses++
  }

  /** Whether the store answers, for readiness; unlike other calls, a failure throws. */
  async ping (): Promise<boolean> {
    return await this.#store.store.ping()
  }

  async close (): Promise<void> {
    await this.#store.store.close()
  }

  /** The short lock under which one caller fills `key` while the others, on any replica, wait for its result. */
  async lock (key: string, ttlMs: number): Promise<FillLock> {
    const locked = await this.#store.lock(lockKey(key), ttlMs)
    return locked === FAULT ? 'unavailable' : locked ? 'held' : 'busy'
  }

  async unlock (key: string): Promise<void> {
    await this.#store.unlock(lockKey(key))
  }

  /** Drops every cached result of an action, for all tenants. Unlike reads, a failure here is reported. */
  async invalidate (actionId: string): Promise<number> {
    return await this.#store.deletePrefix(actionPrefix(actionId))
  }

  /** Rows [offset, offset + size) of the result under `key`; with `queryId`, only that result will do. */
  async read (key: string, offset: number, size: number, pageRows: number, queryId?: string): Promise<CacheRead> {
    // Entry 0 travels inside the metadata; the others are fetched with it when the query id is known.
    const wanted: number[] = []
    for (let n = Math.max(1, Math.floor(offset / pageRows)); n * pageRows < offset + size; n++) wanted.push(n)
    let stored: string | undefined
    let entries = noEntries
    if (queryId && wanted.length > 0) {
      const values = await this.#store.getMany([key, ...wanted.map((n) => entryKey(key, queryId, n))])
      if (values === FAULT) return FAULTED
      stored = values[0]
      entries = values.slice(1)
    } else {
      const value = await this.#store.get(key)
      if (value === FAULT) return FAULTED
      stored = value
    }
    if (stored === undefined) return MISSED
    const opened = this.#open(key, stored)
    if (opened === UNSIGNED) return await this.#reject(key, 'the result is not signed by this gateway under this key')
    const meta = opened === MALFORMED ? undefined : opened.header
    if (!isResultHeader(meta)) return await this.#reject(key, 'the result is malformed')
    const now = Date.now()
    if (meta.pageRows !== pageRows || (queryId && meta.queryId !== queryId) || now > meta.keepUntil) return MISSED
    const head = rowTextsOf(meta, (opened as Opened).rows, meta, 0)
    if (!head) return await this.#reject(key, 'the result\'s first page is malformed')
    const end = Math.min(offset + size, meta.rowCount)
    const stale = now > meta.freshUntil
    if (end <= pageRows) return { status: 'hit', result: meta, rows: head.slice(offset, end), stale }
    if (!queryId && wanted.length > 0) {
      const later = await this.#store.getMany(wanted.map((n) => entryKey(key, meta.queryId, n)))
      if (later === FAULT) return FAULTED
      entries = later
    }
    const pieces: RowTexts[] = []
    for (let n = Math.floor(offset / pageRows); n * pageRows < end; n++) {
      let entry = head
      if (n > 0) {
        const storedEntry = entries[wanted.indexOf(n)]
        // Written before their metadata with the same lifetime, entries lapse a little earlier.
        if (storedEntry === undefined) return MISSED
        const laterKey = entryKey(key, meta.queryId, n)
        const later = this.#open(laterKey, storedEntry)
        if (later === UNSIGNED) return await this.#reject(key, `entry ${n} is not signed by this gateway under its key`, laterKey)
        const texts = later === MALFORMED ? undefined : rowTextsOf(later.header, later.rows, meta, n)
        if (!texts) return await this.#reject(key, `entry ${n} is malformed`, laterKey)
        entry = texts
      }
      pieces.push(entry.slice(Math.max(0, offset - n * pageRows), end - n * pageRows))
    }
    return { status: 'hit', result: meta, rows: joinRowTexts(pieces), stale }
  }

  /** Collects a result as it is read; `commit` stores it only when it is whole. */
  writer (key: string, pageRows: number, freshMs: number, keepMs: number): ResultWriter {
    return new ResultWriter(this.#store, this.#signer, key, pageRows, freshMs, keepMs)
  }

  /** An entry this gateway signed under `key`, its header parsed; a header that does not parse is MALFORMED. */
  #open (key: string, stored: string): Opened | typeof UNSIGNED | typeof MALFORMED {
    const entry = this.#signer.verify(key, stored)
    if (entry === undefined) return UNSIGNED
    try {
      return { header: JSON.parse(entry.header) as unknown, rows: entry.rows }
    } catch {
      return MALFORMED
    }
  }

  /**
   * Counts the fault and deletes the metadata, and the bad entry when it was a later one. Without its metadata
   * nothing reads a result's other entries again: they lapse with their TTL.
   */
  async #reject (key: string, reason: string, entry?: string): Promise<CacheRead> {
    this.#store.reject(key, reason)
    await this.#store.delete(entry === undefined ? [key] : [key, entry])
    return FAULTED
  }
}

interface Opened {
  header: unknown
  rows: string
}

export class ResultWriter {
  #head: RowTexts = RowTexts.none
  readonly #entry = new RowTextsBuilder()
  #index = 0
  #rowCount = 0
  readonly #writes: Array<Promise<unknown>> = []
  readonly #written: string[] = []
  #full: Array<[string, string]> = []
  #queryId: string | undefined
  readonly #store: FailOpenStore
  readonly #signer: EntrySigner

  constructor (
    store: FailOpenStore,
    signer: EntrySigner,
    readonly key: string,
    readonly pageRows: number,
    readonly freshMs: number,
    readonly keepMs: number
  ) {
    this.#store = store
    this.#signer = signer
  }

  /** Rows as their JSON texts, in order; resolves when the entries they completed are stored (or failed to be). */
  add (queryId: string, texts: readonly string[]): Promise<unknown> | undefined {
    this.#queryId = queryId
    for (const text of texts) {
      this.#rowCount++
      this.#entry.push(text)
      if (this.#entry.count === this.pageRows) this.#flush()
    }
    return this.#write()
  }

  /** Writes the metadata last, after every entry landed; false when the cache did not take it. */
  async commit (queryId: string | undefined, complete: boolean): Promise<boolean> {
    if (!queryId) return false
    if (this.#entry.count > 0) this.#flush()
    this.#write()
    const results = await Promise.all(this.#writes)
    if (results.includes(FAULT)) return false
    const now = Date.now()
    const header: ResultHeader = {
      queryId,
      rowCount: this.#rowCount,
      complete,
      pageRows: this.pageRows,
      createdAt: now,
      freshUntil: now + this.freshMs,
      keepUntil: now + this.keepMs,
      ends: [...this.#head.ends]
    }
    return await this.#store.set(this.key, this.#signer.sign(this.key, header, this.#head.text), this.keepMs) !== FAULT
  }

  /** A failed attempt's entries: no metadata will ever point at them, so they are deleted once written. */
  async discard (): Promise<void> {
    await Promise.allSettled(this.#writes)
    await this.#store.delete(this.#written)
  }

  /** Entry 0 waits for the metadata; the later ones are written together at the end of each batch of rows. */
  #flush (): void {
    const texts = this.#entry.take()
    if (this.#index === 0) {
      this.#head = texts
    } else {
      const key = entryKey(this.key, this.#queryId as string, this.#index)
      this.#written.push(key)
      this.#full.push([key, this.#signer.sign(key, { ends: texts.ends }, texts.text)])
    }
    this.#index++
  }

  #write (): Promise<unknown> | undefined {
    if (this.#full.length === 0) return undefined
    const written = this.#store.setMany(this.#full, this.keepMs)
    this.#writes.push(written)
    this.#full = []
    return written
  }
}
function lockKey (key: string): string {
  return `lock:${key}`
}

function entryKey (key: string, queryId: string, n: number): string {
  return `${key}:${queryId}:${n}`
}
