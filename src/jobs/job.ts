import type { ActionPage } from '../execution/action-request.js'
import type { Row } from '../warehouse/rows.js'

/** A page as a job keeps it: rows as values, so the stored job is plain JSON. */
export type StoredPage = Omit<ActionPage, 'rows' | 'variables'> & { rows: Row[] }

export type JobState = 'queued' | 'running' | 'succeeded' | 'failed'

/** Where a finished job is pushed: the waiting contact's script, through CXone's signal API. */
export interface JobCallback {
  contactId: string
  state: 'pending' | 'sent' | 'failed'
  attempts?: number
  /** The last HTTP status CXone answered, or the error code when no answer came. */
  outcome?: string
}

/** An asynchronous run of an action, as stored (in Redis when configured) and answered by `GET /v1/jobs/{id}`. */
export interface Job {
  id: string
  tenant: string
  action: string
  state: JobState
  createdAt: string
  startedAt?: string
  finishedAt?: string
  /** Epoch ms: the job, its result and its push-back end then. */
  expiresAt: number
  /** The first page, when the job succeeded: what a synchronous execute would have answered. */
  page?: StoredPage
  error?: { error: string, message: string, details?: unknown }
  callback?: JobCallback
}

/** A job id: a UUID, so it can be a path segment and a signal parameter as it is. */
export const jobIdPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
