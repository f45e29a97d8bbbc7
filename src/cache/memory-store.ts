import { LRUCache } from 'lru-cache'
import type { CacheStore } from './store.js'

/** One process's cache, bounded by entry count: the oldest entries go first, and each lapses after its TTL. */
export function memoryStore (maxEntries: number): CacheStore {
  const lru = new LRUCache<string, string>({ max: maxEntries })
  const locks = new Map<string, number>()
  return {
    kind: 'memory',
    get: async (key) => lru.get(key),
    getMany: async (keys) => keys.map((key) => lru.get(key)),
    set: async (key, value, ttlMs) => { lru.set(key, value, { ttl: ttlMs }) },
    delete: async (keys) => { for (const key of keys) lru.delete(key) },
    deletePrefix: async (prefix) => {
      let deleted = 0
      for (const key of [...lru.keys()]) {
        if (key.startsWith(prefix) && lru.delete(key)) deleted++
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
