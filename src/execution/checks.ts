import type { Action, Variables } from '../actions/load.js'
import { OutputInvalid, VariablesInvalid, withDetails } from '../errors.js'
import { describeVariables, problemsOf } from '../schemas/problems.js'
import type { Row } from '../warehouse/rows.js'

/** Refuses variables that break the action's input schema (after coercion), naming every problem. */
export function checkVariables (action: Action, variables: Variables): void {
  if (action.validateInput(variables)) return
  const errors = action.validateInput.errors ?? []
  throw withDetails(new VariablesInvalid(describeVariables(errors, action.input)), { details: problemsOf(errors) })
}

/** Refuses a batch of rows when one breaks the action's output schema; `offset` is the batch's first row. */
export function checkRows (action: Action, rows: Row[], offset: number): void {
  for (let i = 0; i < rows.length; i++) {
    if (!action.validateRow(rows[i])) {
      const index = offset + i
      throw withDetails(new OutputInvalid(index), {
        details: { row: index, errors: (action.validateRow.errors ?? []).map((e) => ({ path: e.instancePath || '/', message: e.message })) }
      })
    }
  }
}
