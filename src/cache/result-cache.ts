import type { Row } from '../warehouse/rows.js'
import { FAULT, type FailOpenStore } from './fail-open.js'
import { actionPrefix } from './result-key.js'

/** One cached result: its first entry inline, so the common first-page hit is a single GET. */
export interface CachedResult {
  queryId: string
  rowCount: number
  entryRows: number
  createdAt: number
  freshUntil: number
  head: Row[]
}

export type CacheRead =
  | { status: 'hit', result: CachedResult, rows: Row[], stale: boolean }
  | { status: 'miss' }
  | { status: 'fault' }

export interface CacheStats {
  hits: number
  misses: number
  bypasses: number
}

const MISSED: CacheRead = { status: 'miss' }
const FAULTED: CacheRead = { status: 'fault' }

const isRows = (value: unknown): value is Row[] => Array.isArray(value)

/** A stored value as JSON; one that does not parse is left for the shape check to refuse. */
function parse (value: string | undefined): unknown {
  if (value === undefined) return undefined
  try {
    return JSON.parse(value)
  } catch {
    return null
  }
}

function isResult (value: unknown): value is CachedResult {
  const r = value as CachedResult | null
  return r !== null && typeof r === 'object' && typeof r.queryId === 'string' && Number.isInteger(r.rowCount) &&
    Number.isInteger(r.entryRows) && r.entryRows > 0 && typeof r.freshUntil === 'number' && isRows(r.head)
}

/**
 * Whole results stored as page-sized entries plus one metadata entry. Entries are keyed by query id and
 * written before the metadata, so a reader never sees a result that is not complete.
 */
export class ResultCache {
  readonly stats: CacheStats = { hits: 0, misses: 0, bypasses: 0 }

  constructor (readonly store: FailOpenStore) {}

  /** Drops every cached result of an action, for all tenants. Unlike reads, a failure here is reported. */
  async invalidate (actionId: string): Promise<number> {
    return await this.store.deletePrefix(actionPrefix(actionId))
  }

  /** Rows [offset, offset + size) of the result under `key`; with `queryId`, only that result will do. */
  async read (key: string, offset: number, size: number, entryRows: number, queryId?: string): Promise<CacheRead> {
    // Entry 0 travels inside the metadata; the others are fetched with it when the query id is known.
    const wanted: number[] = []
    for (let n = Math.max(1, Math.floor(offset / entryRows)); n * entryRows < offset + size; n++) wanted.push(n)
    let meta: unknown
    let entries: unknown[] = []
    if (queryId && wanted.length > 0) {
      const values = await this.store.getMany([key, ...wanted.map((n) => entryKey(key, queryId, n))])
      if (values === FAULT) return FAULTED
      meta = parse(values[0])
      entries = values.slice(1).map(parse)
    } else {
      const value = await this.store.get(key)
      if (value === FAULT) return FAULTED
      meta = parse(value)
    }
    if (meta === undefined) return MISSED
    if (!isResult(meta)) {
      this.store.reject(key, 'an unexpected value')
      return FAULTED
    }
    if (meta.entryRows !== entryRows || (queryId && meta.queryId !== queryId)) return MISSED
    const end = Math.min(offset + size, meta.rowCount)
    if (!queryId && wanted.length > 0 && end > entryRows) {
      const later = await this.store.getMany(wanted.map((n) => entryKey(key, meta.queryId, n)))
      if (later === FAULT) return FAULTED
      entries = later.map(parse)
    }
    const stale = Date.now() > meta.freshUntil
    // The common first page lies within the metadata's own entry.
    if (end <= entryRows) {
      if (meta.head.length < end) return MISSED
      return { status: 'hit', result: meta, rows: offset === 0 && end === meta.head.length ? meta.head : meta.head.slice(offset, end), stale }
    }
    const rows: Row[] = []
    for (let at = offset; at < end;) {
      const n = Math.floor(at / entryRows)
      const entry = n === 0 ? meta.head : entries[wanted.indexOf(n)]
      if (!isRows(entry)) return MISSED
      const stop = Math.min(end, (n + 1) * entryRows)
      for (; at < stop; at++) {
        const row = entry[at - n * entryRows]
        if (row === undefined) return MISSED
        rows.push(row)
      }
    }
    return { status: 'hit', result: meta, rows, stale }
  }

  /** Collects a result as it is read; `commit` stores it only when it is whole. */
  writer (key: string, entryRows: number, freshMs: number, keepMs: number): ResultWriter {
    return new ResultWriter(this.store, key, entryRows, freshMs, keepMs)
  }
}

export class ResultWriter {
  readonly head: Row[] = []
  #entry: Row[] = []
  #index = 0
  #rowCount = 0
  #writes: Array<Promise<unknown>> = []
  #queryId: string | undefined

  constructor (
    readonly store: FailOpenStore,
    readonly key: string,
    readonly entryRows: number,
    readonly freshMs: number,
    readonly keepMs: number
  ) {}

  add (queryId: string, rows: Row[]): void {
    this.#queryId = queryId
    for (const row of rows) {
      this.#rowCount++
      if (this.#index === 0) {
        this.head.push(row)
        if (this.head.length === this.entryRows) this.#index = 1
        continue
      }
      this.#entry.push(row)
      if (this.#entry.length === this.entryRows) this.#flush()
    }
  }

  /** Writes the metadata last, after every entry landed; false when the cache did not take it. */
  async commit (queryId = this.#queryId): Promise<boolean> {
    if (!queryId) return false
    if (this.#entry.length > 0) this.#flush()
    const results = await Promise.all(this.#writes)
    if (results.includes(FAULT)) return false
    const now = Date.now()
    const result: CachedResult = {
      queryId,
      rowCount: this.#rowCount,
      entryRows: this.entryRows,
      createdAt: now,
      freshUntil: now + this.freshMs,
      head: this.head
    }
    return await this.store.set(this.key, JSON.stringify(result), this.keepMs) !== FAULT
  }

  #flush (): void {
    const queryId = this.#queryId as string
    this.#writes.push(this.store.set(entryKey(this.key, queryId, this.#index), JSON.stringify(this.#entry), this.keepMs))
    this.#entry = []
    this.#index++
  }
}

function entryKey (key: string, queryId: string, n: number): string {
  return `${key}:${queryId}:${n}`
}
