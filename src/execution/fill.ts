import type { FillLock, ResultWriter } from '../cache/result-cache.js'
import { inFlight } from '../redaction.js'
import { Timings } from '../timings.js'
import type { ReadResult } from '../warehouse/warehouse.js'
import { readOf, type ActionContext, type ActionRequest, type Filled } from './action-request.js'
import { statementOf } from './binds.js'
import { Call, linkedTo } from './call.js'

/** How often a replica that lost the fill lock looks for the winner's result. */
const lockPollMs = 25

/**
 * Runs the action's statement once for every identical concurrent caller. The statement belongs to none of
 * them: it runs under the action's own timeout and is cancelled only when every waiting caller has gone,
 * while each caller waits under its own call (its deadline, its hang-up).
 * `store`: the whole result is read and cached; `fresh`: a result stored before this began will not do.
 */
export async function sharedFill (ctx: ActionContext, request: ActionRequest, key: string, store: boolean, fresh: boolean): Promise<ReadResult> {
  const { value } = await ctx.flights.run(key, async (stop) => {
    const call = new Call(request.workTimeoutMs ?? request.action.timeoutMs, linkedTo(stop))
    try {
      return await filled(ctx, { ...request, call }, key, store, fresh)
    } finally {
      call.dispose()
    }
  }, request.call.signal)
  request.timings.absorb(value.timings)
  return value.result
}

/** A stale result's refresh: its own call, outliving the request that found the result stale. */
export function refreshInBackground (ctx: ActionContext, request: ActionRequest, key: string): void {
  const refreshKey = `refresh:${key}`
  if (ctx.flights.has(refreshKey)) return
  const call = new Call(request.action.timeoutMs)
  // The driver's lines still need the sensitive values hidden after the caller's response has closed.
  const { redaction } = request
  if (redaction) inFlight.hold(redaction)
  ctx.flights.run(refreshKey, async () => await filled(ctx, { ...request, call }, key, true, true))
    .catch(() => {})
    .finally(() => {
      call.dispose()
      if (redaction) inFlight.release(redaction)
    })
}

async function filled (ctx: ActionContext, request: ActionRequest, key: string, store: boolean, fresh: boolean): Promise<Filled> {
  const timings = new Timings()
  return { result: await fill(ctx, { ...request, timings }, key, store, fresh), timings }
}

/**
 * For a cached action the whole result up to maxRows is read and stored as it streams (only the first entry
 * is kept in memory), under a short lock so that other replicas wait for it; otherwise one page-size window.
 */
async function fill (ctx: ActionContext, request: ActionRequest, key: string, store: boolean, fresh: boolean): Promise<ReadResult> {
  const { action, call } = request
  const startedAt = Date.now()
  // A result another caller stored meanwhile, if it is fresh enough to answer this one.
  const landed = async (): Promise<ReadResult | undefined> => {
    const read = await ctx.cache.read(key, 0, action.page.maxSize, action.page.maxSize)
    if (read.status !== 'hit' || read.stale || (fresh && read.result.createdAt < startedAt)) return undefined
    // A result cut by maxRows had more rows than it holds; one past maxRows says so to whoever reads it.
    const totalRows = read.result.complete ? read.result.rowCount : action.maxRows + 1
    return { queryId: read.result.queryId, totalRows, rows: read.rows }
  }
  let locked: FillLock | undefined
  if (store) {
    for (;;) {
      locked = await ctx.cache.lock(key, action.timeoutMs)
      if (locked === 'held') {
        // The holder before us may have stored the result between our last look and our lock.
        const result = await landed()
        if (result) {
          await ctx.cache.unlock(key)
          return result
        }
      }
      // Held, or a cache that did not answer (the fill goes on without it).
      if (locked !== 'busy') break
      // Another replica is running the same statement: its result lands in the cache.
      await sleep(lockPollMs, call.signal)
      const result = await landed()
      if (result) return result
    }
  }
  let writer: ResultWriter | undefined
  const writerFor = (): ResultWriter => {
    writer = ctx.cache.writer(key, action.page.maxSize, action.cache.ttlSeconds * 1000, (action.cache.ttlSeconds + action.cache.staleWhileRevalidateSeconds) * 1000)
    return writer
  }
  try {
    const result = await ctx.warehouse.query(statementOf(action, request.variables), readOf(request, 0, store ? action.maxRows : action.page.maxSize, store ? writerFor : undefined))
    // A result cut by maxRows is still the action's whole answer; one cut by a failure never gets here.
    const complete = writer
    const whole = result.totalRows <= action.maxRows
    if (complete) await request.timings.measure('cache', async () => await complete.commit(result.queryId, whole))
    return result
  } finally {
    if (locked === 'held') await ctx.cache.unlock(key)
  }
}

async function sleep (ms: number, signal: AbortSignal): Promise<void> {
  signal.throwIfAborted()
  await new Promise((resolve) => setTimeout(resolve, ms))
}
