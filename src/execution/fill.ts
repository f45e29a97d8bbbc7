import type { FillLock, ResultWriter } from '../cache/result-cache.js'
import { inFlight } from '../redaction.js'
import { Timings } from '../timings.js'
import { readOf, type ActionContext, type ActionRequest, type FirstRows } from './action-request.js'
import { statementOf } from './binds.js'
import { Call, linkedTo } from './call.js'

/** How often a replica that lost the fill lock looks for the winner's result. */
const lockPollMs = 25

/**
 * Runs the action's statement once for every identical concurrent caller, and answers them as soon as the
 * first page's rows have arrived; a cached action's result goes on filling the cache in the background, and
 * callers that arrive meanwhile join it rather than start another statement. The statement belongs to none
 * of them: it runs under the action's own timeout and is cancelled only when every caller waiting for the
 * first rows has gone, while each caller waits under its own call (its deadline, its hang-up).
 * `store`: the whole result is read and cached; `fresh`: a result stored before this began will not do.
 */
export async function sharedFill (ctx: ActionContext, request: ActionRequest, key: string, store: boolean, fresh: boolean): Promise<FirstRows> {
  // A refresh does not join a fill that began before it, still storing its result after answering.
  const { value } = await ctx.flights.run(fresh ? `fresh:${key}` : key, async (stop, lingerUntil) => {
    const call = new Call(request.workTimeoutMs ?? request.action.timeoutMs, linkedTo(stop))
    // The rest of the fill outlives the caller's response: the driver's lines still need its values hidden.
    const { redaction } = request
    if (redaction) inFlight.hold(redaction)
    const timings = new Timings()
    // Past CACHE_MAX_FILLS the caller still gets its page, from one page-size window; the result is not stored.
    const slot = store ? ctx.fills.take() : undefined
    const { first, whole } = startFill(ctx, { ...request, call, timings }, key, slot !== undefined, fresh)
    lingerUntil(whole)
    let settled = false
    let release: (() => void) | undefined
    // Once the callers have their rows, the shutdown holds the rest (until then it holds their requests).
    first.then(() => { if (!settled) release = ctx.drain.hold(call) }, () => {})
    whole.catch(() => {}).finally(() => {
      settled = true
      slot?.()
      release?.()
      call.dispose()
      if (redaction) inFlight.release(redaction)
    })
    return { result: await first, timings }
  }, request.call.signal)
  request.timings.absorb(value.timings)
  return value.result
}

/** A stale result's refresh: its own call, outliving the request that found the result stale. */
export function refreshInBackground (ctx: ActionContext, request: ActionRequest, key: string): void {
  const refreshKey = `refresh:${key}`
  if (ctx.flights.has(refreshKey)) return
  // With every fill slot busy the stale result keeps answering; a later hit asks again.
  const slot = ctx.fills.take()
  if (!slot) return
  const call = new Call(request.action.timeoutMs)
  const release = ctx.drain.hold(call)
  // The driver's lines still need the sensitive values hidden after the caller's response has closed.
  const { redaction } = request
  if (redaction) inFlight.hold(redaction)
  ctx.flights.run(refreshKey, async () => {
    const { whole } = startFill(ctx, { ...request, call, timings: new Timings() }, key, true, true)
    return { result: await whole, timings: new Timings() }
  })
    .catch(() => {})
    .finally(() => {
      slot()
      release()
      call.dispose()
      if (redaction) inFlight.release(redaction)
    })
}

/**
 * `first`: the first page's rows, as soon as they have arrived and passed the output schema (or the whole
 * result, when it is smaller or not cached); `whole`: when the result is stored (or failed to be). A failure
 * after the first rows were answered is logged; it leaves no metadata, so no cursor reads a partial result.
 */
function startFill (ctx: ActionContext, request: ActionRequest, key: string, store: boolean, fresh: boolean): { first: Promise<FirstRows>, whole: Promise<FirstRows> } {
  let answered = false
  let early: (rows: FirstRows) => void = () => {}
  const firstRows = new Promise<FirstRows>((resolve) => {
    early = (rows) => {
      answered = true
      resolve(rows)
    }
  })
  const whole = fill(ctx, request, key, store, fresh, early)
  whole.catch((err: unknown) => {
    if (answered) request.log?.warn({ err: request.redaction ? request.redaction.value(err) : err, action: request.action.id }, 'the rest of a result could not be read: it was not cached')
  })
  return { first: Promise.race([firstRows, whole]), whole }
}

/**
 * For a cached action the whole result up to maxRows is read and stored as it streams (only the first entry
 * is kept in memory), under a short lock so that other replicas wait for it; otherwise one page-size window.
 */
async function fill (ctx: ActionContext, request: ActionRequest, key: string, store: boolean, fresh: boolean, early: (rows: FirstRows) => void): Promise<FirstRows> {
  const { action, call } = request
  const startedAt = Date.now()
  // A result another caller stored meanwhile, if it is fresh enough to answer this one.
  const landed = async (): Promise<FirstRows | undefined> => {
    const read = await ctx.cache.read(key, 0, action.page.maxSize, action.page.defaultSize)
    if (read.status !== 'hit' || read.stale || (fresh && read.result.createdAt < startedAt)) return undefined
    // A result cut by maxRows had more rows than it holds; one past maxRows says so to whoever reads it.
    const totalRows = read.result.complete ? read.result.rowCount : action.maxRows + 1
    return { queryId: read.result.queryId, totalRows, rows: read.rows }
  }
  let locked: FillLock | undefined
  if (store) {
    for (;;) {
      // As long as this fill may run (a job's is its async timeout), or another replica would start it again.
      locked = await ctx.cache.lock(key, call.budgetMs)
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
    writer = ctx.cache.writer(key, action.page.defaultSize, action.cache.ttlSeconds * 1000, (action.cache.ttlSeconds + action.cache.staleWhileRevalidateSeconds) * 1000)
    return writer
  }
  try {
    const { read, kept } = readOf(request, 0, store ? action.maxRows : action.page.maxSize, store ? { writerFor, onKept: early } : {})
    const result = await ctx.warehouse.query(statementOf(action, request.variables), read)
    // A result cut by maxRows is still the action's whole answer; one cut by a failure never gets here.
    const complete = writer
    const whole = result.totalRows <= action.maxRows
    if (complete) await request.timings.measure('cache', async () => await complete.commit(result.queryId, whole))
    return kept()
  } finally {
    if (locked === 'held') await ctx.cache.unlock(key)
  }
}

async function sleep (ms: number, signal: AbortSignal): Promise<void> {
  signal.throwIfAborted()
  await new Promise((resolve) => setTimeout(resolve, ms))
}
