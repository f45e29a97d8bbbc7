import type { Logger } from 'pino'
import { memoryStore } from './memory-store.js'
import { redisStore } from './redis-store.js'
import { ResultCache, type ResultCacheOptions } from './result-cache.js'

export interface CacheSettings extends ResultCacheOptions {
  /** Redis, shared by replicas; absent, an LRU in this process. */
  redisUrl?: string
  /** The in-process LRU's bound; not used with Redis. */
  maxEntries: number
}

/** The result cache over the store the settings name, chosen once at start. */
export function openResultCache (settings: CacheSettings, logger: Logger): ResultCache {
  const store = settings.redisUrl ? redisStore(settings.redisUrl) : memoryStore(settings.maxEntries)
  return new ResultCache(store, logger, settings)
}
