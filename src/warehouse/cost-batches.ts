import type { Logger } from 'pino'
import type { ConnectionManager, Lease } from './connection-manager.js'
import { maxResultLimit, type CostTracker } from './cost-tracker.js'
import type { Connection } from './driver.js'
import { statementsOn } from './statement.js'

export interface CostBatchSettings {
  /** Longest a query id waits for its cost to be read. */
  intervalMs: number
  /** Ids pending on one session that make its batch worth reading at the next free moment. */
  size: number
}

interface Pending {
  queryId: string
  /** The session's statement count once this one had run: how far back its history must reach for it. */
  position: number
}

interface SessionBatch {
  pending: Pending[]
  dueAt: number
  timer: NodeJS.Timeout
}

// Statements on the session the gateway does not count (none known), so RESULT_LIMIT never falls just short.
const slack = 10

/**
 * Collects costs per session: each statement's query id waits on the session that ran it, and one history
 * statement reads many. A batch is read when the session goes back to its pool with `size` ids pending and
 * nobody waiting for a connection, or, whatever the contention, once its oldest id has waited `intervalMs`;
 * a batch whose session sits idle (or is gone) is read at that time through another connection of its pool.
 */
export class CostBatches {
  readonly #batches = new Map<Connection, SessionBatch>()
  readonly #reads = new Set<Promise<void>>()
  #draining = false

  constructor (
    readonly connections: ConnectionManager,
    readonly costs: CostTracker,
    readonly settings: CostBatchSettings,
    readonly logger: Logger
  ) {}

  /** Queues the cost of `queryId`, which ran on the lease's session, and gives the lease back (after a due batch is read). */
  settle (lease: Lease, queryId: string): void {
    const { connection } = lease
    const batch = this.#batches.get(connection) ?? this.#open(connection)
    batch.pending.push({ queryId, position: statementsOn(connection) })
    const full = batch.pending.length >= this.settings.size && !lease.contended()
    if (!this.#draining && !full && Date.now() < batch.dueAt) return lease.release()
    // After the answer has been sent.
    setImmediate(() => this.#track(this.#read(connection, this.#take(connection)).finally(lease.release)))
  }

  /** Reads every pending cost now, and every later one as its session comes back: the process is stopping. */
  async flush (): Promise<void> {
    this.#draining = true
    for (const connection of this.#batches.keys()) {
      if (!this.connections.leased(connection)) this.#track(this.#readIdle(connection))
    }
    await Promise.allSettled([...this.#reads])
  }

  #open (connection: Connection): SessionBatch {
    const batch: SessionBatch = {
      pending: [],
      dueAt: Date.now() + this.settings.intervalMs,
      timer: setTimeout(() => this.#due(connection), this.settings.intervalMs).unref()
    }
    this.#batches.set(connection, batch)
    return batch
  }

  #take (connection: Connection): Pending[] {
    const batch = this.#batches.get(connection)
    if (!batch) return []
    clearTimeout(batch.timer)
    this.#batches.delete(connection)
    return batch.pending
  }

  #track (read: Promise<void>): void {
    this.#reads.add(read)
    read.finally(() => this.#reads.delete(read)).catch(() => {})
  }

  /** A batch's time has come: a lent session reads it on its way back; an idle or lost one is reached through its pool. */
  #due (connection: Connection): void {
    const batch = this.#batches.get(connection)
    if (!batch) return
    if (this.connections.leased(connection)) {
      // Lent to something that does not settle costs (a readiness probe, a lookup): look again shortly.
      batch.timer = setTimeout(() => this.#due(connection), Math.min(this.settings.intervalMs, 1000)).unref()
      return
    }
    this.#track(this.#readIdle(connection))
  }

  async #readIdle (connection: Connection): Promise<void> {
    const pending = this.#take(connection)
    if (pending.length === 0) return
    let lease: Lease | undefined
    try {
      // The pool lends the connection used last first, which is usually this one.
      lease = await this.connections.acquireBeside(connection, AbortSignal.timeout(30_000))
    } catch (err) {
      this.#lost(err, pending.map((p) => p.queryId))
      return
    }
    if (!lease) return this.#lost(new Error('its pool is closed'), pending.map((p) => p.queryId))
    try {
      if (lease.connection === connection) await this.#read(connection, pending)
      else await this.#readByAccount(lease.connection, pending.map((p) => p.queryId))
    } finally {
      lease.release()
    }
  }

  /** Reads `pending` on its session, `size` ids per statement; what the session's history does not hold, from the account's. */
  async #read (connection: Connection, pending: Pending[]): Promise<void> {
    const missing: string[] = []
    let at = 0
    try {
      for (; at < pending.length; at += this.settings.size) {
        const chunk = pending.slice(at, at + this.settings.size)
        const first = chunk[0] as Pending
        // Back to the chunk's first statement, plus this history statement itself.
        const reach = statementsOn(connection) - first.position + 2 + slack
        const ids = chunk.map((p) => p.queryId)
        if (reach > maxResultLimit) missing.push(...ids)
        else missing.push(...await this.costs.recordBySession(connection, ids, reach))
      }
    } catch (err) {
      this.logger.warn({ err }, 'could not read costs from QUERY_HISTORY_BY_SESSION; reading them from QUERY_HISTORY')
      missing.push(...pending.slice(at).map((p) => p.queryId))
    }
    if (missing.length > 0) await this.#readByAccount(connection, missing)
  }

  async #readByAccount (connection: Connection, queryIds: string[]): Promise<void> {
    try {
      for (let at = 0; at < queryIds.length; at += this.settings.size) {
        const lost = await this.costs.recordByAccount(connection, queryIds.slice(at, at + this.settings.size))
        if (lost.length > 0) this.#lost(new Error('not in the account\'s query history'), lost)
      }
    } catch (err) {
      this.#lost(err, queryIds)
    }
  }

  #lost (err: unknown, queryIds: string[]): void {
    this.logger.warn({ err, queryIds }, 'could not read the costs of these queries')
  }
}
