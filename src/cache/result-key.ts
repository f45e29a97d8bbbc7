import { createHash } from 'node:crypto'
import type { Action, Variables } from '../actions/load.js'

/**
 * The identity of a result: tenant, action, the action's definition, and the values actually bound,
 * in parameter-name order after coercion. Variables the SQL does not use (Studio sends many) do not
 * split entries, and `{"a":1}` and `{"a":"1"}` (coerced) share one.
 */
export function resultKey (tenant: string, action: Action, variables: Variables): string {
  const names = [...new Set(action.statement.order)].sort()
  const bound = names.map((name) => [name, variables[name] ?? null])
  const digest = createHash('sha256')
    .update(JSON.stringify([action.definitionHash, bound]))
    .digest('base64url')
    .slice(0, 32)
  return `${actionPrefix(action.id)}${encodeURIComponent(tenant)}:${digest}`
}

/** Every key of one action starts with this, so the action's entries can be dropped together. */
export function actionPrefix (actionId: string): string {
  return `r:${actionId}:`
}
