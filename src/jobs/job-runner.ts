import { randomUUID } from 'node:crypto'
import type { FastifyBaseLogger } from 'fastify'
import type { Action, Variables } from '../actions/load.js'
import type { ActionContext, ActionPage } from '../execution/action-request.js'
import { Call } from '../execution/call.js'
import { runAction } from '../execution/run-action.js'
import type { GatewayMetrics } from '../metrics/gateway-metrics.js'
import type { CursorCodec } from '../paging/cursor.js'
import { inFlight, type Redaction } from '../redaction.js'
import type { Drain } from '../shutdown.js'
import { Timings } from '../timings.js'
import type { Job, StoredPage } from './job.js'
import type { JobStore } from '../cache/job-store.js'

/** What pushes a finished job to the contact waiting for it: CXone's signal API (src/cxone). */
export interface Notifier {
  signal: (contactId: string, params: string[], options: { deadline: number, signal?: AbortSignal }) => Promise<{ attempts: number, status: number }>
}

export interface JobRequest {
  action: Action
  tenant: string
  variables: Variables
  pageSize?: number
  refresh: boolean
  callback?: { contactId: string }
  redaction: Redaction | null
}

export interface JobRunnerOptions {
  ttlMs: number
  logger: FastifyBaseLogger
  metrics: GatewayMetrics
  drain: Drain
  cursors: CursorCodec
  notifier?: Notifier
}

/**
 * Runs actions in the background for callers that cannot wait (Studio waits 10 to 90 s): the same pipeline as a
 * synchronous execute (cache, single flight, the first page), under the action's async.timeoutMs, recorded in
 * the job store at each step, and when a contact waits for it, one signal to that contact once it has finished.
 */
export class JobRunner {
  constructor (readonly ctx: ActionContext, readonly store: JobStore, readonly options: JobRunnerOptions) {}

  get canSignal (): boolean {
    return this.options.notifier !== undefined
  }

  /** Records the job as queued and starts it; the caller answers 202 at once. */
  async start (request: JobRequest): Promise<Job> {
    const job: Job = {
      id: randomUUID(),
      tenant: request.tenant,
      action: request.action.id,
      state: 'queued',
      createdAt: new Date().toISOString(),
      expiresAt: Date.now() + this.options.ttlMs,
      ...(request.callback ? { callback: { contactId: request.callback.contactId, state: 'pending' } } : {})
    }
    await this.store.save(job)
    // The driver's lines must not show the sensitive values after the caller's response has closed.
    if (request.redaction) inFlight.hold(request.redaction)
    this.#run(job, request)
      .catch((err: unknown) => this.options.logger.error({ err: request.redaction ? request.redaction.value(err) : err, jobId: job.id }, 'a job could not be recorded'))
      .finally(() => { if (request.redaction) inFlight.release(request.redaction) })
    return job
  }

  /** The tenant's job; another tenant's is as unknown as one that never existed. */
  async get (id: string, tenant: string): Promise<Job | undefined> {
    const job = await this.store.get(id)
    return job?.tenant === tenant ? job : undefined
  }

  async #run (job: Job, request: JobRequest): Promise<void> {
    const { action } = request
    const call = new Call(action.async.timeoutMs)
    const release = this.options.drain.hold(call)
    job.state = 'running'
    job.startedAt = new Date().toISOString()
    await this.store.save(job)
    try {
      const page = await runAction(this.ctx, {
        action,
        tenant: request.tenant,
        variables: request.variables,
        pageSize: request.pageSize,
        refresh: request.refresh,
        call,
        workTimeoutMs: action.async.timeoutMs,
        timings: new Timings(),
        log: this.options.logger,
        redaction: request.redaction
      })
      job.state = 'succeeded'
      job.page = this.#storable(action, page)
    } catch (err) {
      job.state = 'failed'
      job.error = failureOf(err, request.redaction)
    } finally {
      call.dispose()
      release()
    }
    job.finishedAt = new Date().toISOString()
    this.options.metrics.jobs.inc({ action: action.id, state: job.state })
    await this.store.save(job)
    if (job.callback) await this.#push(job, action)
  }

  /** The page without the variables themselves: the cursor needs only their keyed digests, and the store keeps no values. */
  #storable (action: Action, page: ActionPage): StoredPage {
    const { variables, rows, ...rest } = page
    return { ...rest, rows: rows.parse(), variableDigests: page.variableDigests ?? this.options.cursors.digests(action.statement.names, variables ?? {}) }
  }

  /**
   * One signal per job (two at once may merge in CXone): p1 job id, p2 state, p3 rows, p4 the first row's
   * `async.signalValue`, p5 the error code. Retried by the client until the job expires; a failed push loses
   * nothing, the result stays fetchable.
   */
  async #push (job: Job, action: Action): Promise<void> {
    const callback = job.callback
    const notifier = this.options.notifier
    if (!callback || !notifier) return
    const first = job.page?.rows[0]
    const value = action.async.signalValue === undefined ? undefined : first?.[action.async.signalValue]
    const params = [job.id, job.state, String(job.page?.available ?? 0), value === undefined || value === null ? '' : String(value), job.error?.error ?? '']
    try {
      const { attempts, status } = await notifier.signal(callback.contactId, params, { deadline: job.expiresAt })
      Object.assign(callback, { state: 'sent', attempts, outcome: String(status) })
    } catch (err) {
      const failure = err as { attempts?: number, status?: number, code?: string }
      Object.assign(callback, { state: 'failed', attempts: failure.attempts ?? 1, outcome: String(failure.status ?? failure.code ?? 'error') })
      this.options.logger.warn({ jobId: job.id, outcome: callback.outcome }, 'could not signal the contact waiting for a job; its result stays fetchable')
    }
    this.options.metrics.jobSignals.inc({ outcome: callback.state })
    await this.store.save(job)
  }
}

/** What a failed job says: the code and message the synchronous call would have answered, internals hidden. */
function failureOf (err: unknown, redaction: Redaction | null): Job['error'] {
  const { code, statusCode, message, details } = err as { code?: string, statusCode?: number, message?: string, details?: unknown }
  if (!code || !statusCode || statusCode === 500) {
    return { error: 'INTERNAL_ERROR', message: 'The job failed unexpectedly' }
  }
  const text = message ?? code
  return {
    error: code,
    message: redaction ? redaction.text(text) : text,
    ...(details !== undefined ? { details: redaction ? redaction.value(details) : details } : {})
  }
}
