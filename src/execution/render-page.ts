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
  const whole = render(action, page, profile, cursors, page.rows.length, false)
  if (Buffer.byteLength(whole) <= maxBytes) return { body: whole, returned: page.rows.length, truncated: false }
  // Largest count that fits: render(low) fits, render(high) does not.
  let low = 0
  let high = page.rows.length
  while (high - low > 1) {
    const mid = (low + high) >>> 1
    if (Buffer.byteLength(render(action, page, profile, cursors, mid, true)) <= maxBytes) low = mid
    else high = mid
  }
  if (low === 0) throw new RowTooLarge(page.offset, maxBytes)
  return { body: render(action, page, profile, cursors, low, true), returned: low, truncated: true }
}

function render (action: Action, page: ActionPage, profile: Record<string, number>, cursors: CursorCodec, count: number, truncated: boolean): string {
  const next = page.offset + count
  const hasMore = next < page.available
  return JSON.stringify({
    status: 'ok',
    action: action.id,
    version: action.version,
    rows: count === page.rows.length ? page.rows : page.rows.slice(0, count),
    page: {
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
          variables: page.variableDigests ?? cursors.digests(action.statement.names, page.variables ?? {})
        })
        : null,
      complete: page.complete,
      ...(page.complete ? {} : { rowLimit: action.maxRows })
    },
    truncated: truncated ? true : undefined,
    queryId: page.queryId,
    source: page.source,
    profile
  })
}
