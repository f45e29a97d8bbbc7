import createError, { type FastifyError } from '@fastify/error'

// Every way a call to CXone fails, declared once. The HTTP status is what the gateway would answer if one of
// these ever reached a client; `status` on the error is CXone's own answer, when there was one.
export const ContactIdInvalid = createError('CXONE_CONTACT_INVALID', 'A CXone contact id is 1 to 20 digits', 400)
export const SignalParamsInvalid = createError('CXONE_PARAMS_INVALID', 'A signal carries at most 9 parameters (p1…p9), each a string', 400)
export const AuthRejected = createError('CXONE_AUTH_REJECTED', 'CXone refused the gateway\'s credentials: HTTP %d%s', 502)
export const Unauthorized = createError('CXONE_UNAUTHORIZED', 'CXone refused the signal with HTTP 401 again after a fresh token', 502)
export const SignalRejected = createError('CXONE_SIGNAL_REJECTED', 'CXone refused the signal: HTTP %d', 502)
export const DiscoveryInvalid = createError('CXONE_DISCOVERY_INVALID', 'CXone discovery (%s) gave no usable %s', 502)
export const ResponseInvalid = createError('CXONE_RESPONSE_INVALID', 'CXone answered %s with something the gateway cannot use: %s', 502)
export const Unavailable = createError('CXONE_UNAVAILABLE', 'CXone stayed unavailable within the deadline: %s', 503)
export const DeadlineExceeded = createError('CXONE_DEADLINE', 'The CXone call did not finish within its deadline: %s', 504)
export const Cancelled = createError('CXONE_CANCELLED', 'The CXone call was cancelled: %s', 503)

/** What a failed call says about itself, for the caller to record. */
export interface CxoneFailure extends FastifyError {
  /** Signal requests sent (0: none left the gateway; more than 0: CXone may have acted on one). */
  attempts: number
  /** CXone's last HTTP status; undefined when no answer came (network failure, timeout). */
  status?: number
}

export function failure (error: FastifyError, attempts: number, status: number | undefined, cause?: unknown): CxoneFailure {
  if (cause !== undefined) Object.defineProperty(error, 'cause', { value: cause, enumerable: false, writable: true, configurable: true })
  return Object.assign(error, { attempts, status })
}

export function isCxoneFailure (error: unknown): error is CxoneFailure {
  return error instanceof Error && typeof (error as Partial<CxoneFailure>).attempts === 'number' && String((error as FastifyError).code).startsWith('CXONE_')
}

/** A failure of shared work (one token request for many callers) as one caller's own, with its own counts. */
export function ownCopy (shared: CxoneFailure, attempts: number, status: number | undefined): CxoneFailure {
  const copy = Object.create(Object.getPrototypeOf(shared) as object, Object.getOwnPropertyDescriptors(shared)) as CxoneFailure
  copy.attempts = attempts
  copy.status = shared.status ?? status
  return copy
}
