import type { Action, Variables } from '../actions/load.js'
import type { Bind } from '../warehouse/driver.js'

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
