import type { Job } from '../jobs/job.js'
import { memoryStore } from './memory-store.js'
import type { CacheStore } from './store.js'

/**
 * Jobs in the same store as results (Redis when `REDIS_URL` is set, so any replica can answer for a job and it
 * outlives a restart; process memory otherwise), each kept until it expires. Unlike the result cache, a job
 * store that does not answer is an error: a job that cannot be recorded is not accepted.
 */
export class JobStore {
  readonly #store: CacheStore

  constructor (store: CacheStore) {
    this.#store = store
  }

  /** Jobs of this process alone, for an app built without the service's stores. */
  static inMemory (maxEntries: number): JobStore {
    return new JobStore(memoryStore(maxEntries))
  }

  async save (job: Job): Promise<void> {
    const ttlMs = job.expiresAt - Date.now()
    if (ttlMs > 0) await this.#store.set(keyOf(job.id), JSON.stringify(job), ttlMs)
  }

  async get (id: string): Promise<Job | undefined> {
    const text = await this.#store.get(keyOf(id))
    if (text === undefined) return undefined
    const job = JSON.parse(text) as Job
    return job.id === id && job.expiresAt > Date.now() ? job : undefined
  }
}

const keyOf = (id: string): string => `job:${id}`
