import { hash } from 'node:crypto'
import type { Action, Variables } from '../actions/load.js'

/** Entries written in an earlier layout are never read as this one's: they lapse with their TTL. */
const entryLayout = 'pages-of-row-texts'

/**
 * The identity of a result: tenant, action, the action's definition, who runs it where (`scope`: account,
 * user, role, warehouse, database, schema), and the values actually bound, in parameter-name order after
 * coercion. Variables the SQL does not use (Studio sends many) do not split entries, and `{"a":1}` and
 * `{"a":"1"}` (coerced) share one. The digest is the key's hash tag: a result's metadata, entries and lock
 * (`<key>`, `<key>:<queryId>:<n>`, `lock:<key>`) lie in one Redis Cluster slot, read together in one MGET;
 * the tenant is URI-encoded, so no brace of its own starts the tag.
 */
export function resultKey (tenant: string, action: Action, scope: string, variables: Variables): string {
  let identity = `${entryLayout}\n${action.definitionHash}\n${scope}`
  // Each value as JSON after its name: "1" and 1 differ, and no value can pass for another's boundary.
  for (const name of action.statement.names) identity += `\n${name}=${JSON.stringify(variables[name] ?? null)}`
  const digest = hash('sha256', identity, 'base64url').slice(0, 32)
  return `${actionPrefix(action.id)}${encodeURIComponent(tenant)}:{${digest}}`
}

/** Every key of one action starts with this, so the action's entries can be dropped together. */
export function actionPrefix (actionId: string): string {
  return `r:${actionId}:`
}
