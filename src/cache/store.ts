/**
 * Where results are kept: the same keyv interface over an in-memory LRU or Redis, plus the two things
 * keyv does not offer: dropping every key under a prefix, and a short lock shared by replicas.
 */
export interface CacheStore {
  readonly kind: 'memory' | 'redis'
  get: <T>(key: string) => Promise<T | undefined>
  getMany: <T>(keys: string[]) => Promise<Array<T | undefined>>
  set: (key: string, value: unknown, ttlMs: number) => Promise<void>
  /** Deletes every key that starts with `prefix`; returns how many. */
  deletePrefix: (prefix: string) => Promise<number>
  /** True when this caller holds `key` now; it lapses by itself after `ttlMs`. */
  lock: (key: string, ttlMs: number) => Promise<boolean>
  unlock: (key: string) => Promise<void>
  ping: () => Promise<boolean>
  close: () => Promise<void>
}
