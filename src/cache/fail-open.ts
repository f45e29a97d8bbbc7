import type { Logger } from 'pino'
import { Listeners } from '../listeners.js'
import type { CacheStore } from './store.js'

export const FAULT = Symbol('cache fault')
export type Faulty<T> = T | typeof FAULT

const unavailable = 'result cache unavailable: serving from the warehouse'

export interface FailOpenOptions {
  /** At most one warning per interval, however many calls fail. */
  warnIntervalMs?: number
}

/**
 * The cache is an optimisation, never a dependency: every call either answers or yields FAULT, and the request
 * is served from the warehouse instead. A store that can hang (Redis) bounds each call itself: its connection
 * gives every call a deadline and skips Redis while its breaker is open.
 */
export class FailOpenStore {
  #lastWarning = 0
  /** The operation of each call that failed or timed out. */
  readonly faults = new Listeners<string>()

  constructor (readonly store: CacheStore, readonly logger: Logger, readonly options: FailOpenOptions) {}

  async get (key: string): Promise<Faulty<string | undefined>> {
    return await this.#guard('get', this.store.get(key))
  }

  async getMany (keys: string[]): Promise<Faulty<Array<string | undefined>>> {
    return await this.#guard('get', this.store.getMany(keys))
  }

  async set (key: string, value: string, ttlMs: number): Promise<Faulty<void>> {
    return await this.#guard('set', this.store.set(key, value, ttlMs))
  }

  async setMany (entries: ReadonlyArray<readonly [string, string]>, ttlMs: number): Promise<Faulty<void>> {
    return await this.#guard('set', this.store.setMany(entries, ttlMs))
  }

  async delete (keys: string[]): Promise<Faulty<void>> {
    return await this.#guard('delete', this.store.delete(keys))
  }

  /** Unlike the other calls, an invalidation that fails says so: the caller asked for it. */
  async deletePrefix (prefix: string): Promise<number> {
    return await this.store.deletePrefix(prefix)
  }

  async lock (key: string, ttlMs: number): Promise<Faulty<boolean>> {
    return await this.#guard('lock', this.store.lock(key, ttlMs))
  }

  async unlock (key: string): Promise<void> {
    await this.#guard('unlock', this.store.unlock(key))
  }

  /**
   * A value the gateway did not write, or not under this key (another writer of Redis, corruption), counts
   * as a failed read: the request is served from the warehouse.
   */
  reject (key: string, reason: string): void {
    this.#fault('get', new Error(`${key}: ${reason}`), 'result cache entry rejected: serving from the warehouse')
  }

  async #guard<T> (operation: string, work: Promise<T>): Promise<Faulty<T>> {
    try {
      return await work
    } catch (err) {
      this.#fault(operation, err, unavailable)
      return FAULT
    }
  }

  #fault (operation: string, err: unknown, message: string): void {
    this.faults.emit(operation)
    const now = Date.now()
    if (now - this.#lastWarning >= (this.options.warnIntervalMs ?? 30_000)) {
      this.#lastWarning = now
      this.logger.warn({ err, operation, store: this.store.kind }, message)
    }
  }
}
