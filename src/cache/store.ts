/**
 * Where results are kept: an in-memory LRU or Redis, as strings the result cache has already serialized and
 * signed, plus dropping every key under a prefix and a short lock shared by replicas.
 */
export interface CacheStore {
  readonly kind: 'memory' | 'redis'
  get: (key: string) => Promise<string | undefined>
  getMany: (keys: string[]) => Promise<Array<string | undefined>>
  set: (key: string, value: string, ttlMs: number) => Promise<void>
  /** Several entries with one lifetime, in one round trip. */
  setMany: (entries: ReadonlyArray<readonly [key: string, value: string]>, ttlMs: number) => Promise<void>
  delete: (keys: string[]) => Promise<void>
  /** Deletes every key that starts with `prefix`; returns how many. */
  deletePrefix: (prefix: string) => Promise<number>
  /** True when this caller holds `key` now; it lapses by itself after `ttlMs`. */
  lock: (key: string, ttlMs: number) => Promise<boolean>
  unlock: (key: string) => Promise<void>
  ping: () => Promise<boolean>
  close: () => Promise<void>
}
