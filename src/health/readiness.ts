import type { ResultCache } from '../cache/result-cache.js'
import type { ConnectionManager } from '../warehouse/connection-manager.js'
import { openStatement } from '../warehouse/statement.js'

export interface DependencyCheck {
  status: 'ok' | 'failed'
  latencyMs: number
  /** ISO time of the probe: a Snowflake result is reused for a few seconds. */
  checkedAt: string
  error?: string
}

export interface ReadinessReport {
  status: 'ready' | 'not_ready'
  shuttingDown: boolean
  checks: {
    actions: { status: 'ok' | 'failed', count: number }
    snowflake: DependencyCheck
    cache: DependencyCheck & { store: ResultCache['kind'] }
  }
}

export interface ReadinessSources {
  actionCount: () => number
  connections: ConnectionManager
  cache: Pick<ResultCache, 'kind' | 'ping'>
  closing: () => boolean
}

export interface ReadinessOptions {
  /** How long a Snowflake probe's result is reused, so frequent probes do not each reach the warehouse. */
  cacheMs: number
  /** Longest a probe may take before it counts as failed. */
  timeoutMs: number
}

class ProbeTimeout extends Error {
  constructor (ms: number) {
    super(`no answer within ${ms} ms`)
  }
}

/** Whether this replica should get traffic: actions loaded, Snowflake answering; the cache's state is reported beside them. */
export class Readiness {
  #snowflake?: { check: DependencyCheck, at: number }
  #probing?: Promise<DependencyCheck>

  constructor (readonly sources: ReadinessSources, readonly options: ReadinessOptions) {}

  async check (): Promise<ReadinessReport> {
    const count = this.sources.actionCount()
    const actions = { status: count > 0 ? 'ok' as const : 'failed' as const, count }
    const closing = this.sources.closing()
    // While shutting down the pools are draining: the last results are shown, nothing is probed.
    const [snowflake, cache] = closing
      ? [this.#snowflake?.check ?? notProbed(), notProbed()]
      : await Promise.all([this.#snowflakeCheck(), this.#probe(async () => { if (!await this.sources.cache.ping()) throw new Error('PING was not answered with PONG') })])
    // The cache is reported, not required: it fails open, and replicas share one Redis, so its loss failing
    // readiness would take every replica out of the load balancer at once.
    const ready = !closing && actions.status === 'ok' && snowflake.status === 'ok'
    return {
      status: ready ? 'ready' : 'not_ready',
      shuttingDown: closing,
      checks: { actions, snowflake, cache: { ...cache, store: this.sources.cache.kind } }
    }
  }

  async #snowflakeCheck (): Promise<DependencyCheck> {
    const kept = this.#snowflake
    if (kept && Date.now() - kept.at < this.options.cacheMs) return kept.check
    this.#probing ??= this.#probe(async () => { await this.#selectOne() }).then((check) => {
      this.#snowflake = { check, at: Date.now() }
      return check
    }).finally(() => { this.#probing = undefined })
    return await this.#probing
  }

  /** `SELECT 1` on a pooled connection, the way requests reach Snowflake. */
  async #selectOne (): Promise<void> {
    const { timeoutMs } = this.options
    const signal = AbortSignal.timeout(timeoutMs)
    const lease = await this.sources.connections.acquire({}, signal)
    try {
      const statement = await openStatement(lease.connection, { run: { sqlText: 'SELECT 1', binds: [], queryTag: 'gateway:health', timeoutSeconds: Math.ceil(timeoutMs / 1000) } }, signal)
      await statement.batches(0, 1, 1, signal).next()
    } finally {
      lease.release()
    }
  }

  async #probe (work: () => Promise<void>): Promise<DependencyCheck> {
    const started = performance.now()
    const checkedAt = new Date().toISOString()
    try {
      await within(work(), this.options.timeoutMs)
      return { status: 'ok', latencyMs: elapsed(started), checkedAt }
    } catch (err) {
      return { status: 'failed', latencyMs: elapsed(started), checkedAt, error: (err as Error).message ?? String(err) }
    }
  }
}

function notProbed (): DependencyCheck {
  return { status: 'failed', latencyMs: 0, checkedAt: new Date().toISOString(), error: 'shutting down' }
}

const elapsed = (started: number): number => Math.round((performance.now() - started) * 10) / 10

async function within<T> (work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((resolve, reject) => { timer = setTimeout(() => reject(new ProbeTimeout(ms)), ms) })
  try {
    return await Promise.race([work, timeout])
  } finally {
    clearTimeout(timer)
  }
}
