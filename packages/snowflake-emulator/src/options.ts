// Emulator options, with their defaults resolved once at start.
import type { Engine } from './engine/contract.js'

export interface EmulatorUser {
  name: string
  password?: string
  /** RSA public key (PEM, SPKI) for SNOWFLAKE_JWT key-pair login. */
  publicKey?: string
}

export interface EmulatorOptions {
  host?: string
  /** 0 picks a free port. */
  port?: number
  /** None: demo mode, any account/user/password is accepted. Otherwise checked strictly. */
  users?: EmulatorUser[]
  sessionTtlSeconds?: number
  masterTtlSeconds?: number
  /** Rows sent inline in the first rowset; the rest goes into chunks. */
  inlineRows?: number
  /** Rows per chunk. */
  chunkRows?: number
  /** Gzip chunk bodies (sent with Content-Encoding: gzip) when the client accepts it. */
  gzipChunks?: boolean
  /** How long a sync query-request (or a result poll) is held before answering 333333. */
  syncWaitMs?: number
  /** How long finished results are kept for getResultsFromQueryId and chunk downloads. */
  resultTtlMs?: number
  /** At most this many finished queries are kept; the oldest are released first. */
  maxKeptResults?: number
  /** Finished results hold at most about this many bytes of wire text together; the oldest are released first. */
  maxKeptResultBytes?: number
  /**
   * A result finished or looked up (chunks, re-fetch) within this long is not released for maxKeptResultBytes:
   * long enough for a reader between two chunk downloads, short enough that results nobody reads (a client that
   * took the first rowset only) do not pile up past the bound at the rate statements finish.
   */
  resultInUseMs?: number
  /** Enables the test controls (in-process and under /__emulator). */
  controls?: boolean
  /** Passed to the engine: load the demo data set. */
  demoData?: boolean
  /** Passed to the engine: rows in the demo's big table. */
  bigTableRows?: number
  /** Use this engine instead of creating one (the emulator then does not close it). */
  engine?: Engine
}

export type ResolvedOptions = Required<Omit<EmulatorOptions, 'users' | 'engine' | 'bigTableRows'>> & {
  users: EmulatorUser[] | null
  bigTableRows: number | undefined
}

export function resolveOptions (o: EmulatorOptions): ResolvedOptions {
  return {
    host: o.host ?? '127.0.0.1',
    port: o.port ?? 0,
    users: o.users === undefined || o.users.length === 0 ? null : o.users,
    sessionTtlSeconds: o.sessionTtlSeconds ?? 3600,
    masterTtlSeconds: o.masterTtlSeconds ?? 14400,
    inlineRows: o.inlineRows ?? 1000,
    chunkRows: Math.max(1, o.chunkRows ?? 50_000),
    gzipChunks: o.gzipChunks ?? false,
    syncWaitMs: o.syncWaitMs ?? 1500,
    resultTtlMs: o.resultTtlMs ?? 3_600_000,
    maxKeptResults: o.maxKeptResults ?? 1000,
    maxKeptResultBytes: o.maxKeptResultBytes ?? 512 * 1024 ** 2,
    resultInUseMs: o.resultInUseMs ?? 5_000,
    controls: o.controls ?? false,
    demoData: o.demoData ?? true,
    bigTableRows: o.bigTableRows
  }
}
