import type { FastifyBaseLogger } from 'fastify'
import type { Action, Variables } from '../actions/load.js'
import type { ResultCache, ResultWriter } from '../cache/result-cache.js'
import { resultKey } from '../cache/result-key.js'
import type { SingleFlight } from '../cache/single-flight.js'
import type { CursorPosition } from '../paging/cursor.js'
import type { Redaction } from '../redaction.js'
import type { Timings } from '../timings.js'
import type { Target } from '../warehouse/connection-options.js'
import type { Row } from '../warehouse/rows.js'
import type { ReadRequest, ReadResult, Warehouse } from '../warehouse/warehouse.js'
import type { Call } from './call.js'
import { checkRows, checkVariables } from './checks.js'

export type CacheStatus = 'HIT' | 'MISS' | 'BYPASS'

/** Shared work's result, with the time its phases took, for every caller's Server-Timing. */
export interface Filled {
  result: ReadResult
  timings: Timings
}

export interface ActionContext {
  warehouse: Warehouse
  cache: ResultCache
  flights: SingleFlight<Filled>
}

export interface ActionRequest {
  action: Action
  tenant: string
  variables: Variables
  pageSize?: number
  /** Decoded from the caller's cursor: the page continues an earlier result. */
  position?: CursorPosition
  /** `Cache-Control: no-cache`: run afresh and replace the cached result, where the action allows it. */
  refresh: boolean
  call: Call
  /** How long a shared statement may run; default the action's timeoutMs (a job's is its async.timeoutMs). */
  workTimeoutMs?: number
  timings: Timings
  /** Where retries of transient faults are logged. */
  log?: Pick<FastifyBaseLogger, 'warn'>
  /** Scrubs the sensitive variables' values from those log lines. */
  redaction?: Redaction | null
}

export interface ActionPage {
  tenant: string
  queryId: string
  resultKey: string
  rows: Row[]
  offset: number
  size: number
  /** Rows the result holds, capped at the action's maxRows. */
  available: number
  /** False when maxRows cut the result: Snowflake had more rows than any page will show. */
  complete: boolean
  /** The variables the result was made from, for the cursor (a first page); a continued page carries its cursor's digests instead. */
  variables?: Variables
  variableDigests?: Record<string, string>
  source: 'warehouse' | 'cache'
  cacheStatus: CacheStatus
}

const batchSize = 1000

/** The role and warehouse an action asks for; the connection's defaults fill what it leaves out. */
export function targetOf (action: Action): Target {
  return { role: action.role, warehouse: action.warehouse }
}

export function resultKeyOf (ctx: ActionContext, request: ActionRequest): string {
  return resultKey(request.tenant, request.action, ctx.warehouse.connections.scope(targetOf(request.action)), request.variables)
}

export function checkRequestVariables (request: ActionRequest): void {
  const start = performance.now()
  try {
    checkVariables(request.action, request.variables)
  } finally {
    request.timings.since('validate', start)
  }
}

/**
 * Rows [start, end) of the action's statement, each batch checked against the output schema. With `writerFor`,
 * each attempt stores its rows through a writer of its own, and a failed attempt's writer is discarded.
 */
export function readOf (request: ActionRequest, start: number, end: number, writerFor?: () => ResultWriter): ReadRequest {
  const { action, call, timings, redaction } = request
  return {
    tenant: request.tenant,
    target: targetOf(action),
    deadline: call.at,
    signal: call.signal,
    start,
    end,
    batchSize,
    keep: action.page.maxSize,
    timings,
    onRetry: (error) => request.log?.warn({ err: redaction ? redaction.value(error) : error, action: action.id }, 'retrying a transient Snowflake fault'),
    sink: (queryId) => {
      const writer = writerFor?.()
      return {
        add: (rows, at) => {
          checkRows(action, rows, at)
          writer?.add(queryId, rows)
        },
        // In the background: the retry need not wait for the deletes (the cache fails open).
        discard: () => { writer?.discard().catch(() => {}) }
      }
    }
  }
}
