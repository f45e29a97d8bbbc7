import type { Pool } from 'generic-pool'
import { untilAborted } from '../abortable.js'
import type { Logger } from 'pino'
import type { SnowflakeConfig } from '../config.js'
import { connectionOptions, type Target } from './connection-options.js'
import { snowflake, type Connection } from './driver.js'

export interface PoolSettings {
  min: number
  max: number
  acquireTimeoutMs: number
  /** A connection idle for longer is checked with a heartbeat before it is lent again; sooner, it is lent as it is. */
  checkAfterIdleMs: number
  /** Result chunks the driver downloads ahead of the one being read; each is held whole. */
  resultPrefetch: number
  /** Rows the driver's row stream buffers ahead of its reader. */
  rowStreamHighWaterMark: number
}

export interface PoolStats {
  key: string
  size: number
  available: number
  borrowed: number
  pending: number
}

export interface Lease {
  connection: Connection
  release: () => void
  /** Callers are waiting for a connection of this pool. */
  contended: () => boolean
}

/** One snowflake-sdk pool per role/warehouse pair, created on first use and drained on close. */
export class ConnectionManager {
  readonly #pools = new Map<string, Pool<Connection>>()
  readonly #poolOf = new WeakMap<Connection, Pool<Connection>>()
  readonly #idleSince = new WeakMap<Connection, number>()
  readonly #leased = new Set<Connection>()
  readonly #account: string
  #closing = false
  /** Heartbeats sent to check a connection before lending it (one round trip each). */
  sessionChecks = 0

  constructor (
    readonly config: SnowflakeConfig,
    readonly settings: PoolSettings,
    readonly logger: Logger
  ) {
    this.#account = [config.location ?? config.accessUrl ?? '', config.account, config.user, config.database ?? '', config.schema ?? ''].join('\n')
  }

  /**
   * Whose statements `target` runs, and where: the access URL (or the configuration's `location`), account,
   * user, database and schema, and the role and warehouse after defaults. Result-cache keys include it, so a
   * cached result never crosses to another role (whose row access policies may differ), warehouse or account
   * when the configuration changes.
   */
  scope (target: Target = {}): string {
    return `${this.#account}\n${target.role ?? this.config.role ?? ''}\n${target.warehouse ?? this.config.warehouse ?? ''}`
  }

  pool (target: Target = {}): Pool<Connection> {
    const role = target.role ?? this.config.role ?? ''
    const warehouse = target.warehouse ?? this.config.warehouse ?? ''
    const key = `${role}/${warehouse}`
    let pool = this.#pools.get(key)
    if (!pool) {
      const { resultPrefetch, rowStreamHighWaterMark } = this.settings
      pool = snowflake.createPool({ ...connectionOptions(this.config, target), resultPrefetch, rowStreamHighWaterMark }, {
        min: this.settings.min,
        max: this.settings.max,
        acquireTimeoutMillis: this.settings.acquireTimeoutMs,
        // Checked in acquire, and only after idle time: a heartbeat on every borrow is a round trip per execution.
        testOnBorrow: false,
        // The connection used last is lent first: fewer sessions in use, so fewer cost batches to collect.
        fifo: false,
        evictionRunIntervalMillis: 60_000,
        idleTimeoutMillis: 10 * 60_000
      })
      this.#pools.set(key, pool)
    }
    return pool
  }

  /**
   * A pooled connection. With `signal`, the wait for one ends when it aborts (the pool cannot withdraw a
   * waiting request, so a connection that arrives afterwards goes straight back).
   */
  async acquire (target: Target = {}, signal?: AbortSignal): Promise<Lease> {
    if (this.#closing) throw new Error('the connection manager is closing')
    return await this.#lease(this.pool(target), signal)
  }

  /** A connection of the pool `connection` came from (the same role and warehouse), while it still exists. */
  async acquireBeside (connection: Connection, signal?: AbortSignal): Promise<Lease | undefined> {
    const pool = this.#poolOf.get(connection)
    if (!pool || this.#closing) return undefined
    return await this.#lease(pool, signal)
  }

  /** Whether `connection` is lent out now (rather than idle in its pool, or gone). */
  leased (connection: Connection): boolean {
    return this.#leased.has(connection)
  }

  async #lease (pool: Pool<Connection>, signal?: AbortSignal): Promise<Lease> {
    signal?.throwIfAborted()
    const connection = await this.#checked(pool, signal)
    this.#poolOf.set(connection, pool)
    this.#leased.add(connection)
    let released = false
    return {
      connection,
      contended: () => pool.pending > 0,
      release: () => {
        if (released) return
        released = true
        this.#leased.delete(connection)
        this.#idleSince.set(connection, Date.now())
        pool.release(connection).catch((err: Error) => this.logger.warn({ err }, 'could not release a Snowflake connection'))
      }
    }
  }

  /** A pooled connection that answers: one idle past `checkAfterIdleMs` is sent a heartbeat first, and replaced if it fails. */
  async #checked (pool: Pool<Connection>, signal?: AbortSignal): Promise<Connection> {
    for (;;) {
      const acquiring = pool.acquire()
      const connection = signal ? await untilAborted(acquiring, signal, (late) => { pool.release(late).catch(() => {}) }) : await acquiring
      const idleSince = this.#idleSince.get(connection)
      if (idleSince === undefined || Date.now() - idleSince < this.settings.checkAfterIdleMs) return connection
      this.sessionChecks++
      if (await connection.isValidAsync()) return connection
      this.#idleSince.delete(connection)
      await pool.destroy(connection).catch(() => {})
    }
  }

  stats (): PoolStats[] {
    return [...this.#pools].map(([key, pool]) => ({
      key, size: pool.size, available: pool.available, borrowed: pool.borrowed, pending: pool.pending
    }))
  }

  /** Waits for borrowed connections to come back, then logs every session out. */
  async close (): Promise<void> {
    this.#closing = true
    await Promise.all([...this.#pools.values()].map(async (pool) => {
      await pool.drain()
      await pool.clear()
    }))
    this.#pools.clear()
  }
}
