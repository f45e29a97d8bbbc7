import type { FastifyBaseLogger } from 'fastify'
import type { Action, Variables } from '../actions/load.js'
import { FAULT } from '../cache/fail-open.js'
import type { ResultCache, ResultWriter } from '../cache/result-cache.js'
import { resultKey } from '../cache/result-key.js'
import type { SingleFlight } from '../cache/single-flight.js'
import { OutputInvalid, PageInvalid, ResultExpired, VariablesInvalid } from '../errors.js'
import type { CursorPosition } from '../paging/cursor.js'
import { inFlight, type Redaction } from '../redaction.js'
import { Timings } from '../timings.js'
import type { Target } from '../warehouse/connection-options.js'
import type { Row } from '../warehouse/rows.js'
import type { ReadRequest, ReadResult, Warehouse } from '../warehouse/warehouse.js'
import { statementOf } from './binds.js'
import { checkRows, checkVariables } from './checks.js'
import { Deadline, noCaller } from './deadline.js'
import { toGatewayError } from './warehouse-error.js'

export type CacheStatus = 'HIT' | 'MISS' | 'BYPASS'

export interface ActionContext {
  warehouse: Warehouse
  cache: ResultCache
  flights: SingleFlight<ReadResult>
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
  deadline: Deadline
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
  source: 'warehouse' | 'cache'
  cacheStatus: CacheStatus
}

const batchSize = 1000
/** How often a replica that lost the fill lock looks for the winner's result. */
const lockPollMs = 25

/**
 * Answers one page of an action: from the result cache when it can, otherwise from one warehouse
 * statement shared by every identical concurrent caller (in this process, and across replicas through a
 * short lock in the cache). A cursor continues a result from the cache, else from Snowflake's persisted
 * result by query id, and only when both are gone by running the SQL again.
 */
export async function runAction (ctx: ActionContext, request: ActionRequest): Promise<ActionPage> {
  const { action, position } = request
  const size = position?.size ?? request.pageSize ?? action.page.defaultSize
  if (size > action.page.maxSize) throw new PageInvalid(`page.size ${size} is above this action's maximum of ${action.page.maxSize}`)
  try {
    return position
      ? await continueResult(ctx, request, position)
      : await firstPage(ctx, request, size)
  } catch (error) {
    if (error instanceof OutputInvalid || error instanceof ResultExpired || error instanceof VariablesInvalid) throw error
    throw toGatewayError(error, request.deadline.budgetMs)
  }
}

const cached = (action: Action): boolean => action.cache.ttlSeconds > 0

function checkRequestVariables (request: ActionRequest): void {
  const start = performance.now()
  try {
    checkVariables(request.action, request.variables)
  } finally {
    request.timings.since('validate', start)
  }
}

function resultKeyOf (ctx: ActionContext, request: ActionRequest): string {
  return resultKey(request.tenant, request.action, ctx.warehouse.connections.scope(targetOf(request.action)), request.variables)
}

async function firstPage (ctx: ActionContext, request: ActionRequest, size: number): Promise<ActionPage> {
  const { action, timings } = request
  checkRequestVariables(request)
  const key = resultKeyOf(ctx, request)

  let status: CacheStatus = 'BYPASS'
  if (cached(action)) {
    status = 'MISS'
    if (!(request.refresh && action.cache.allowRefresh)) {
      const start = performance.now()
      const read = await ctx.cache.read(key, 0, size, action.page.maxSize)
      timings.since('cache', start)
      if (read.status === 'hit') {
        ctx.cache.stats.hits++
        if (read.stale) refreshInBackground(ctx, request, key)
        return { tenant: request.tenant, queryId: read.result.queryId, resultKey: key, rows: read.rows, offset: 0, size, available: read.result.rowCount, source: 'cache', cacheStatus: 'HIT' }
      }
      if (read.status === 'fault') status = 'BYPASS'
    }
  }
  if (status === 'BYPASS') ctx.cache.stats.bypasses++
  else ctx.cache.stats.misses++
  const { value } = await ctx.flights.run(key, async () => await fill(ctx, request, key, status !== 'BYPASS', request.refresh))
  return { tenant: request.tenant, queryId: value.queryId, resultKey: key, rows: value.rows.slice(0, size), offset: 0, size, available: Math.min(value.totalRows, action.maxRows), source: 'warehouse', cacheStatus: status }
}

/**
 * Runs the statement once. For a cached action the whole result up to maxRows is read and stored as it
 * streams (only the first entry is kept in memory); otherwise one page-size window is read.
 * `fresh`: a result stored before this call began will not do (a refresh).
 */
async function fill (ctx: ActionContext, request: ActionRequest, key: string, store: boolean, fresh: boolean): Promise<ReadResult> {
  const { action } = request
  const lockKey = `lock:${key}`
  const startedAt = Date.now()
  // A result another caller stored meanwhile, if it is fresh enough to answer this one.
  const landed = async (): Promise<ReadResult | undefined> => {
    const read = await ctx.cache.read(key, 0, action.page.maxSize, action.page.maxSize)
    if (read.status !== 'hit' || read.stale || (fresh && read.result.createdAt < startedAt)) return undefined
    return { queryId: read.result.queryId, totalRows: read.result.rowCount, rows: read.rows }
  }
  let locked: boolean | typeof FAULT = false
  if (store) {
    for (;;) {
      locked = await ctx.cache.store.lock(lockKey, action.timeoutMs)
      if (locked === true) {
        // The holder before us may have stored the result between our last look and our lock.
        const result = await landed()
        if (result) {
          await ctx.cache.store.unlock(lockKey)
          return result
        }
      }
      if (locked !== false) break
      // Another replica is running the same statement: its result lands in the cache.
      await sleep(lockPollMs, request.deadline.signal)
      const result = await landed()
      if (result) return result
    }
  }
  const writer = store
    ? ctx.cache.writer(key, action.page.maxSize, action.cache.ttlSeconds * 1000, (action.cache.ttlSeconds + action.cache.staleWhileRevalidateSeconds) * 1000)
    : undefined
  try {
    const result = await ctx.warehouse.query(statementOf(action, request.variables), readOf(request, 0, store ? action.maxRows : action.page.maxSize, writer))
    // A result cut by maxRows is still the action's whole answer; one cut by a failure never gets here.
    if (writer) await request.timings.measure('cache', async () => await writer.commit(result.queryId))
    return result
  } finally {
    if (locked === true) await ctx.cache.store.unlock(lockKey)
  }
}

async function continueResult (ctx: ActionContext, request: ActionRequest, position: CursorPosition): Promise<ActionPage> {
  const { action, timings } = request
  const { offset, size, queryId, resultKey: key } = position
  const page = (rows: Row[], from: string, available: number, source: ActionPage['source'], cacheStatus: CacheStatus): ActionPage =>
    ({ tenant: request.tenant, queryId: from, resultKey: key, rows, offset, size, available, source, cacheStatus })
  let status: CacheStatus = 'BYPASS'
  if (cached(action)) {
    const start = performance.now()
    const read = await ctx.cache.read(key, offset, size, action.page.maxSize, queryId)
    timings.since('cache', start)
    if (read.status === 'hit') {
      ctx.cache.stats.hits++
      return page(read.rows, queryId, read.result.rowCount, 'cache', 'HIT')
    }
    status = read.status === 'miss' ? 'MISS' : 'BYPASS'
  }
  const end = Math.min(offset + size, action.maxRows)
  try {
    const result = await ctx.warehouse.resume(queryId, readOf(request, offset, end))
    return page(result.rows, queryId, Math.min(result.totalRows, action.maxRows), 'warehouse', status)
  } catch (error) {
    if (!resultGone(error)) throw error
  }
  // The persisted result is gone too: run again, if the caller sent the variables this cursor was made from.
  if (Object.keys(request.variables).length === 0) throw new ResultExpired()
  checkRequestVariables(request)
  if (resultKeyOf(ctx, request) !== key) throw new ResultExpired()
  const result = await ctx.warehouse.query(statementOf(action, request.variables), readOf(request, offset, end))
  return page(result.rows, result.queryId, Math.min(result.totalRows, action.maxRows), 'warehouse', status)
}

function refreshInBackground (ctx: ActionContext, request: ActionRequest, key: string): void {
  const refreshKey = `refresh:${key}`
  if (ctx.flights.has(refreshKey)) return
  // The caller already has its answer: the refresh gets its own deadline and outlives the request.
  const deadline = new Deadline(request.action.timeoutMs, undefined, noCaller)
  const background = { ...request, deadline, timings: new Timings() }
  // The driver's lines still need the sensitive values hidden after the caller's response has closed.
  const { redaction } = request
  if (redaction) inFlight.hold(redaction)
  ctx.flights.run(refreshKey, async () => await fill(ctx, background, key, true, true))
    .catch(() => {})
    .finally(() => {
      deadline.dispose()
      if (redaction) inFlight.release(redaction)
    })
}

/** The role and warehouse an action asks for; the connection's defaults fill what it leaves out. */
export function targetOf (action: Action): Target {
  return { role: action.role, warehouse: action.warehouse }
}

function readOf (request: ActionRequest, start: number, end: number, writer?: ResultWriter): ReadRequest {
  const { action, deadline, timings } = request
  return {
    tenant: request.tenant,
    target: targetOf(action),
    deadline: deadline.at,
    signal: deadline.signal,
    start,
    end,
    batchSize,
    keep: action.page.maxSize,
    timings,
    onRetry: (error) => request.log?.warn({ err: request.redaction ? request.redaction.value(error) : error, action: action.id }, 'retrying a transient Snowflake fault'),
    onBatch: (rows, at, queryId) => {
      checkRows(action, rows, at)
      writer?.add(queryId, rows)
    }
  }
}

/** Snowflake no longer has the statement's result (persisted results last 24 hours). */
function resultGone (error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === '000709'
}

async function sleep (ms: number, signal: AbortSignal): Promise<void> {
  signal.throwIfAborted()
  await new Promise((resolve) => setTimeout(resolve, ms))
}
