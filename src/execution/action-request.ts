import type { FastifyBaseLogger } from 'fastify'
import type { Action, Variables } from '../actions/load.js'
import type { ResultCache, ResultWriter } from '../cache/result-cache.js'
import { resultKey } from '../cache/result-key.js'
import type { SingleFlight } from '../cache/single-flight.js'
import type { CursorPosition } from '../paging/cursor.js'
import type { Redaction } from '../redaction.js'
import type { Drain } from '../shutdown.js'
import { RowTextsBuilder, type RowTexts } from '../row-texts.js'
import type { Timings } from '../timings.js'
import type { Target } from '../warehouse/connection-options.js'
import type { ReadRequest, Warehouse } from '../warehouse/warehouse.js'
import type { Call } from './call.js'
import { checkRows, checkVariables } from './checks.js'
import type { FillSlots } from './fill-slots.js'

export type CacheStatus = 'HIT' | 'MISS' | 'BYPASS'

/** The first rows of a statement's result (a window's, for a continued page), as JSON texts. */
export interface FirstRows {
  queryId: string
  /** Rows the statement produced, however many were read. */
  totalRows: number
  rows: RowTexts
}

/** Shared work's result, with the time its phases took, for every caller's Server-Timing. */
export interface Filled {
  result: FirstRows
  timings: Timings
}

export interface ActionContext {
  warehouse: Warehouse
  cache: ResultCache
  flights: SingleFlight<Filled>
  fills: Pick<FillSlots, 'take'>
  /** Background work (the rest of a fill) is held by the shutdown, which lets it finish within its grace. */
  drain: Pick<Drain, 'hold'>
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
  rows: RowTexts
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

export interface ReadOptions {
  /** Each attempt stores its rows through a writer of its own; a failed attempt's writer is discarded. */
  writerFor?: () => ResultWriter
  /** Told as soon as the attempt has read (and checked) the rows the answer keeps, when more are still to be read. */
  onKept?: (first: FirstRows) => void
}

/**
 * Rows [start, end) of the action's statement, each batch checked against the output schema and serialized
 * once; the first `page.maxSize` of them are kept for the answer. `kept()` is what the last attempt kept.
 */
export function readOf (request: ActionRequest, start: number, end: number, options: ReadOptions = {}): { read: ReadRequest, kept: () => FirstRows } {
  const { action, call, timings, redaction } = request
  let last: { queryId: string, totalRows: number, rows: RowTextsBuilder } | undefined
  const read: ReadRequest = {
    tenant: request.tenant,
    target: targetOf(action),
    deadline: call.at,
    signal: call.signal,
    start,
    end,
    batchSize,
    timings,
    onRetry: (error) => request.log?.warn({ err: redaction ? redaction.value(error) : error, action: action.id }, 'retrying a transient Snowflake fault'),
    sink: (queryId, totalRows) => {
      const writer = options.writerFor?.()
      const rows = new RowTextsBuilder()
      const available = Math.max(0, Math.min(end, totalRows) - start)
      const wanted = Math.min(action.page.maxSize, available)
      last = { queryId, totalRows, rows }
      // Told early only when rows remain to be read after the kept ones: a short result is stored first.
      const keep = (): void => { if (available > wanted) options.onKept?.({ queryId, totalRows, rows: rows.build() }) }
      return {
        add: (batch, at) => {
          checkRows(action, batch, at)
          const texts = batch.map((row) => JSON.stringify(row))
          for (let i = 0; i < texts.length && rows.count < wanted; i++) {
            rows.push(texts[i] as string)
            if (rows.count === wanted) keep()
          }
          // The read goes on once this batch is stored: a fill never queues more than a batch ahead of Redis.
          return writer?.add(queryId, texts)
        },
        // In the background: the retry need not wait for the deletes (the cache fails open).
        discard: () => { writer?.discard().catch(() => {}) }
      }
    }
  }
  return {
    read,
    kept: () => {
      if (!last) throw new Error('no attempt read the statement')
      return { queryId: last.queryId, totalRows: last.totalRows, rows: last.rows.build() }
    }
  }
}
