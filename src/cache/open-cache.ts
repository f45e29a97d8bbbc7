import type { Logger } from 'pino'
import type { RedisConnection } from '../redis/redis-connection.js'
import { memoryStore } from './memory-store.js'
import { redisStore } from './redis-store.js'
import { JobStore } from './job-store.js'
import { ResultCache, type ResultCacheOptions } from './result-cache.js'

export interface CacheSettings extends ResultCacheOptions {
  /** The in-process LRU's bound; not used with Redis. */
  maxEntries: number
}

/**
 * The result cache, and the jobs kept beside it, over the store chosen once at start: Redis, shared by
 * replicas, when the service has a connection; an LRU in this process otherwise.
 */
export function openCache (settings: CacheSettings, logger: Logger, redis?: RedisConnection): { cache: ResultCache, jobs: JobStore } {
  const store = redis ? redisStore(redis) : memoryStore(settings.maxEntries)
  // A job read that gives up is an error to its caller, not a bypass: jobs read with the long deadline.
  const jobs = redis ? redisStore(redis, 'long') : store
  return { cache: new ResultCache(store, logger, settings), jobs: new JobStore(jobs) }
}
