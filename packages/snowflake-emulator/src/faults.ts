// Injected faults for tests: per-query errors, HTTP statuses and latency matched on the SQL text, and
// chunk downloads that fail or stall.
import { SnowflakeError } from './engine/contract.js'

export interface FaultError { code: string, sqlState?: string, message?: string }

export interface FaultSpec {
  /** Matched against the SQL text; a string is a case-insensitive regular expression. Omitted: every query. */
  match?: RegExp | string
  /** How many matching queries it applies to. Default 1 for error/httpStatus faults, unlimited for latency only. */
  times?: number
  /** The query fails with this Snowflake error (HTTP 200, success:false). */
  error?: FaultError
  /** The query-request is answered with this HTTP status, and the query is not run. */
  httpStatus?: number
  /** Added before the query runs (cancel and statement timeouts apply during it). */
  latencyMs?: number
}

export interface ChunkFault { times: number, httpStatus?: number, stallMs?: number }

interface ActiveFault {
  match: RegExp | null
  remaining: number
  error: SnowflakeError | null
  httpStatus: number | null
  latencyMs: number
}

export interface QueryFaults {
  error: SnowflakeError | null
  latencyMs: number
}

export class Faults {
  private queryFaults: ActiveFault[] = []
  private chunkFaults: ChunkFault[] = []
  warehouseSuspended = false

  add (spec: FaultSpec): void {
    const onlyLatency = spec.error === undefined && spec.httpStatus === undefined
    const fault: ActiveFault = {
      match: toRegExp(spec.match),
      remaining: spec.times ?? (onlyLatency ? Infinity : 1),
      error: spec.error === undefined
        ? null
        : new SnowflakeError(spec.error.code, spec.error.sqlState ?? 'XX000', spec.error.message ?? `Injected fault ${spec.error.code}`),
      httpStatus: spec.httpStatus ?? null,
      latencyMs: spec.latencyMs ?? 0
    }
    this.queryFaults.push(fault)
  }

  /** HTTP-level faults are taken when the request arrives, before a query exists. */
  takeHttpStatus (sql: string): number | null {
    const fault = this.take(sql, f => f.httpStatus !== null)
    return fault?.httpStatus ?? null
  }

  /** Latency adds up over all matching faults; the first matching error applies. */
  takeQueryFaults (sql: string): QueryFaults {
    let latencyMs = 0
    for (const f of this.queryFaults) {
      if (f.httpStatus === null && f.error === null && f.remaining > 0 && matches(f, sql)) {
        latencyMs += f.latencyMs
        f.remaining--
      }
    }
    const errorFault = this.take(sql, f => f.error !== null && f.httpStatus === null)
    if (errorFault !== undefined) latencyMs += errorFault.latencyMs
    this.prune()
    return { error: errorFault?.error ?? null, latencyMs }
  }

  addChunkFault (fault: ChunkFault): void {
    this.chunkFaults.push({ ...fault })
  }

  takeChunkFault (): ChunkFault | null {
    const fault = this.chunkFaults[0]
    if (fault === undefined) return null
    fault.times--
    if (fault.times <= 0) this.chunkFaults.shift()
    return fault
  }

  clear (): void {
    this.queryFaults = []
    this.chunkFaults = []
    this.warehouseSuspended = false
  }

  private take (sql: string, kind: (f: ActiveFault) => boolean): ActiveFault | undefined {
    const fault = this.queryFaults.find(f => kind(f) && f.remaining > 0 && matches(f, sql))
    if (fault !== undefined) fault.remaining--
    this.prune()
    return fault
  }

  private prune (): void {
    this.queryFaults = this.queryFaults.filter(f => f.remaining > 0)
  }
}

function matches (f: ActiveFault, sql: string): boolean {
  if (f.match === null) return true
  f.match.lastIndex = 0
  return f.match.test(sql)
}

function toRegExp (m: RegExp | string | undefined): RegExp | null {
  if (m === undefined) return null
  return typeof m === 'string' ? new RegExp(m, 'i') : m
}
