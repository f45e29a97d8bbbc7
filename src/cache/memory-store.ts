import { LRUCache } from 'lru-cache'
import { keyvOfStrings } from './keyv-strings.js'
import type { CacheStore } from './store.js'

/** One process's cache, bounded by entry count: the oldest entries go first, and each lapses after its TTL. */
export function memoryStore (maxEntries: number): CacheStore {
  const lru = new LRUCache<string, string>({ max: maxEntries })
  // keyv hands each entry's TTL to the store: the LRU's own expiry.
  const keyv = keyvOfStrings({
    get: (key: string) => lru.get(key),
    set: (key: string, value: string, ttl?: number) => { lru.set(key, value, { ttl }); return true },
    delete: (key: string) => lru.delete(key),
    clear: () => { lru.clear() }
  })
  const locks = new Map<string, number>()
  return {
    kind: 'memory',
    get: async (key) => await keyv.get(key) ?? undefined,
    getMany: async (keys) => (await keyv.getMany(keys)).map((value) => value ?? undefined),
    set: async (key, value, ttlMs) => { await keyv.set(key, value, ttlMs) },
    setMany: async (entries, ttlMs) => { for (const [key, value] of entries) await keyv.set(key, value, ttlMs) },
    delete: async (keys) => { await keyv.deleteMany(keys) },
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
