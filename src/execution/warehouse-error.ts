import { DeadlineExceeded, ShuttingDown, StatementFailed, VariableRejected, WarehouseUnavailable, withDetails } from '../errors.js'
import { isDataError, isTransient } from '../warehouse/transient.js'
import { CallerGone, DeadlineReached } from './call.js'

interface SnowflakeFailure {
  code?: string | number
  sqlState?: string
  message?: string
  data?: { queryId?: string }
}

const statementTimeout = '000630'

/** Turns what the driver or the deadline threw into the answer a caller can act on. */
export function toGatewayError (error: unknown, budgetMs: number): Error {
  if (error instanceof ShuttingDown) return withDetails(error, { retryAfterSeconds: 1 })
  if (error instanceof DeadlineReached || error instanceof CallerGone) {
    return new DeadlineExceeded(budgetMs)
  }
  const failure = (error ?? {}) as SnowflakeFailure
  if (failure.code === statementTimeout) return new DeadlineExceeded(budgetMs)
  const details = { code: failure.code, sqlState: failure.sqlState, queryId: failure.data?.queryId }
  const message = failure.message ?? String(error)
  if (isTransient(error)) {
    return withDetails(new WarehouseUnavailable(message), { details, retryAfterSeconds: 5 })
  }
  if (isDataError(error)) return withDetails(new VariableRejected(message), { details })
  return withDetails(new StatementFailed(message), { details })
}
