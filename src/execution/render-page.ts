import type { Action } from '../actions/load.js'
import { RowTooLarge } from '../errors.js'
import type { CursorCodec } from '../paging/cursor.js'
import type { ActionPage } from './action-request.js'

export interface RenderedPage {
  body: string
  returned: number
  truncated: boolean
}

/**
 * Serializes a page, cutting it to the largest prefix that keeps the answer within `maxBytes`
 * (Studio takes 32 KB at most); the cursor then points at the first row left out.
 */
export function renderPage (action: Action, page: ActionPage, profile: Record<string, number>, cursors: CursorCodec, maxBytes: number): RenderedPage {
  // The variables' digests, made once however many renders the size cap takes, and only when a cursor is.
  const digests: Digests = { of: page.variableDigests }
  const whole = render(action, page, profile, cursors, digests, page.rows.count, false)
  if (Buffer.byteLength(whole) <= maxBytes) return { body: whole, returned: page.rows.count, truncated: false }
  // Largest count that fits: render(low) fits, render(high) does not.
  let low = 0
  let high = page.rows.count
  while (high - low > 1) {
    const mid = (low + high) >>> 1
    if (Buffer.byteLength(render(action, page, profile, cursors, digests, mid, true)) <= maxBytes) low = mid
    else high = mid
  }
  if (low === 0) throw new RowTooLarge(page.offset, maxBytes)
  return { body: render(action, page, profile, cursors, digests, low, true), returned: low, truncated: true }
}

interface Digests { of?: Record<string, string> }

/** The answer's JSON, written around the rows' stored text so that no row is parsed or serialized again. */
function render (action: Action, page: ActionPage, profile: Record<string, number>, cursors: CursorCodec, digests: Digests, count: number, truncated: boolean): string {
  const next = page.offset + count
  const hasMore = next < page.available
  if (hasMore) digests.of ??= cursors.digests(action.statement.names, page.variables ?? {}, page.resultKey)
  const rows = count === page.rows.count ? page.rows : page.rows.slice(0, count)
  const paging = {
    size: page.size,
    offset: page.offset,
    returned: count,
    hasMore,
    nextCursor: hasMore
      ? cursors.encode({
        tenant: page.tenant,
        actionId: action.id,
        definitionHash: action.definitionHash,
        queryId: page.queryId,
        resultKey: page.resultKey,
        offset: next,
        size: page.size,
        variables: digests.of
      })
      : null,
    complete: page.complete,
    ...(page.complete ? {} : { rowLimit: action.maxRows })
  }
  return `{"status":"ok","action":${JSON.stringify(action.id)},"version":${JSON.stringify(action.version)},"rows":[${rows.text}],` +
    `"page":${JSON.stringify(paging)},${truncated ? '"truncated":true,' : ''}"queryId":${JSON.stringify(page.queryId)},` +
    `"source":${JSON.stringify(page.source)},"profile":${JSON.stringify(profile)}}`
}
