import type { Action, Variables } from '../actions/load.js'
import type { Bind } from '../warehouse/driver.js'
import type { StatementSpec } from '../warehouse/statement.js'

/**
 * One driver bind per `?`, in order. Objects and arrays go as JSON text: the driver would read an
 * array as a multi-row insert.
 */
export function bindVariables (action: Action, variables: Variables): Bind[] {
  return action.statement.order.map((name) => {
    const value = variables[name]
    if (value === undefined || value === null) return null
    if (typeof value === 'object') return JSON.stringify(value)
    return value as Bind
  })
}

/** The action's statement with the caller's variables bound, tagged `action:version` in Snowflake's query history. */
export function statementOf (action: Action, variables: Variables): Omit<StatementSpec, 'timeoutSeconds'> {
  return { sqlText: action.statement.sql, binds: bindVariables(action, variables), queryTag: `${action.id}:${action.version}` }
}
