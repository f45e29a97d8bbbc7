import type { Action, Variables } from '../actions/load.js'
import { OutputInvalid, PageInvalid, VariablesInvalid, withDetails } from '../errors.js'
import type { CursorPosition } from '../paging/cursor.js'
import type { Timings } from '../timings.js'
import type { Row } from '../warehouse/rows.js'
import type { Warehouse } from '../warehouse/warehouse.js'
import { bindVariables } from './binds.js'
import type { Deadline } from './deadline.js'
import { toGatewayError } from './warehouse-error.js'

export interface ActionRequest {
  action: Action
  variables: Variables
  pageSize?: number
  /** Decoded from the caller's cursor: the page continues an earlier result instead of running the SQL. */
  position?: CursorPosition
  deadline: Deadline
  timings: Timings
  onRetry?: (error: unknown) => void
}

export interface ActionPage {
  queryId: string
  rows: Row[]
  offset: number
  size: number
  /** Rows the result holds, capped at the action's maxRows. */
  available: number
}

const batchSize = 1000

export function validationDetails (action: Action, variables: Variables): unknown {
  if (action.validateInput(variables)) return undefined
  return (action.validateInput.errors ?? []).map((e) => ({
    path: e.instancePath || '/',
    message: e.message,
    ...(e.params && Object.keys(e.params).length > 0 ? { params: e.params } : {})
  }))
}

/** Validates, binds and runs an action, or continues one from a cursor, returning one checked page. */
export async function runAction (warehouse: Warehouse, request: ActionRequest): Promise<ActionPage> {
  const { action, timings, deadline, position } = request
  const size = position?.size ?? request.pageSize ?? action.page.defaultSize
  if (size > action.page.maxSize) throw new PageInvalid(`page.size ${size} is above this action's maximum of ${action.page.maxSize}`)
  const offset = position?.offset ?? 0

  let binds
  if (!position) {
    const problems = timings.measureSync('validate', () => validationDetails(action, request.variables))
    if (problems) throw withDetails(new VariablesInvalid(), { details: problems })
    binds = bindVariables(action, request.variables)
  }

  let attempts = 1
  const read = {
    target: { role: action.role, warehouse: action.warehouse },
    deadline: deadline.at,
    signal: deadline.signal,
    start: offset,
    end: Math.min(offset + size, action.maxRows),
    batchSize,
    timings,
    onRetry: (error: unknown) => {
      attempts++
      request.onRetry?.(error)
    },
    onBatch: (rows: Row[], at: number) => checkRows(action, rows, at)
  }
  try {
    const result = position
      ? await warehouse.resume(position.queryId, read)
      : await warehouse.query({ sqlText: action.statement.sql, binds: binds ?? [], queryTag: `${action.id}:${action.version}` }, read)
    return { queryId: result.queryId, rows: result.rows, offset, size, available: Math.min(result.totalRows, action.maxRows) }
  } catch (error) {
    if (error instanceof OutputInvalid) throw error
    throw toGatewayError(error, deadline.budgetMs, attempts)
  }
}

function checkRows (action: Action, rows: Row[], offset: number): void {
  for (let i = 0; i < rows.length; i++) {
    if (!action.validateRow(rows[i])) {
      const index = offset + i
      throw withDetails(new OutputInvalid(index), {
        details: { row: index, errors: (action.validateRow.errors ?? []).map((e) => ({ path: e.instancePath || '/', message: e.message })) }
      })
    }
  }
}
