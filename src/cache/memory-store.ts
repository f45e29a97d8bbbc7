import Keyv from 'keyv'
import { LRUCache } from 'lru-cache'
import type { CacheStore } from './store.js'

/** One process's cache, bounded by entry count: the oldest entries go first. */
export function memoryStore (maxEntries: number): CacheStore {
  const lru = new LRUCache<string, object>({ max: maxEntries })
  // keyv keeps each entry's expiry inside the value; the LRU only bounds how many there are.
  const keyv = new Keyv({
    store: {
      get: (key: string) => lru.get(key),
      set: (key: string, value: object) => { lru.set(key, value); return true },
      delete: (key: string) => lru.delete(key),
      clear: () => { lru.clear() }
    },
    useKeyPrefix: false,
    // Plain JSON: keyv's default reviver walks every value of a result on each read.
    serialize: JSON.stringify,
    deserialize: JSON.parse
  })
  const locks = new Map<string, number>()
  return {
    kind: 'memory',
    get: async <T>(key: string) => await keyv.get<T>(key) ?? undefined,
    getMany: async <T>(keys: string[]) => (await keyv.getMany<T>(keys)).map((value) => value ?? undefined),
    set: async (key, value, ttlMs) => { await keyv.set(key, value, ttlMs) },
    deletePrefix: async (prefix) => {
      let deleted = 0
      for (const key of [...lru.keys()]) {
        if (key.includes(prefix) && lru.delete(key)) deleted++
      }
      return deleted
    },
    lock: async (key, ttlMs) => {
      const now = Date.now()
      if ((locks.get(key) ?? 0) > now) return false
      locks.set(key, now + ttlMs)
      return true
    },
    unlock: async (key) => { locks.delete(key) },
    ping: async () => true,
    close: async () => { lru.clear() }
  }
}
