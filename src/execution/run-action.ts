import { OutputInvalid, PageInvalid, ResultExpired, VariablesInvalid } from '../errors.js'
import { checkRequestVariables, resultKeyOf, type ActionContext, type ActionPage, type ActionRequest, type CacheStatus } from './action-request.js'
import { continueResult } from './continue-result.js'
import { refreshInBackground, sharedFill } from './fill.js'
import { toGatewayError } from './warehouse-error.js'

/**
 * Answers one page of an action: from the result cache when it can, otherwise from one warehouse statement
 * shared by every identical concurrent caller (fill.ts). A cursor continues a result (continue-result.ts).
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
    throw toGatewayError(error, request.call.budgetMs)
  }
}

/** The cache policy: a fresh or stale-while-revalidate hit answers; a miss, a refresh or a cache fault fills. */
async function firstPage (ctx: ActionContext, request: ActionRequest, size: number): Promise<ActionPage> {
  const { action, timings } = request
  checkRequestVariables(request)
  const key = resultKeyOf(ctx, request)

  let status: CacheStatus = 'BYPASS'
  if (action.cache.ttlSeconds > 0) {
    status = 'MISS'
    if (!(request.refresh && action.cache.allowRefresh)) {
      const start = performance.now()
      const read = await ctx.cache.read(key, 0, size, action.page.defaultSize)
      timings.since('cache', start)
      if (read.status === 'hit') {
        ctx.cache.countLookup('hit')
        if (read.stale) refreshInBackground(ctx, request, key)
        return { tenant: request.tenant, queryId: read.result.queryId, resultKey: key, rows: read.rows, offset: 0, size, available: read.result.rowCount, complete: read.result.complete, variables: request.variables, source: 'cache', cacheStatus: 'HIT' }
      }
      if (read.status === 'fault') status = 'BYPASS'
    }
  }
  ctx.cache.countLookup(status === 'BYPASS' ? 'bypass' : 'miss')
  const result = await sharedFill(ctx, request, key, status !== 'BYPASS', request.refresh)
  return {
    tenant: request.tenant,
    queryId: result.queryId,
    resultKey: key,
    rows: result.rows.slice(0, size),
    offset: 0,
    size,
    available: Math.min(result.totalRows, action.maxRows),
    complete: result.totalRows <= action.maxRows,
    variables: request.variables,
    source: 'warehouse',
    cacheStatus: status
  }
}
