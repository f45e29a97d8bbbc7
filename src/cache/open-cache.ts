import type { Logger } from 'pino'
import { memoryStore } from './memory-store.js'
import { redisStore } from './redis-store.js'
import { JobStore } from './job-store.js'
import { ResultCache, type ResultCacheOptions } from './result-cache.js'

export interface CacheSettings extends ResultCacheOptions {
  /** Redis, shared by replicas; absent, an LRU in this process. */
  redisUrl?: string
  /** The in-process LRU's bound; not used with Redis. */
  maxEntries: number
}

/** The result cache, and the jobs kept beside it, over the store the settings name, chosen once at start. */
export function openCache (settings: CacheSettings, logger: Logger): { cache: ResultCache, jobs: JobStore } {
  const store = settings.redisUrl ? redisStore(settings.redisUrl) : memoryStore(settings.maxEntries)
  return { cache: new ResultCache(store, logger, settings), jobs: new JobStore(store) }
}
