// Runs statements and keeps them: idempotent per (session, requestId), cancellable, with statement
// timeouts, injected faults and query history. Finished results are kept (bounded) for result fetches
// and chunk downloads.
import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Binding, Engine, QueryStatus, StatementResult } from './engine/contract.js'
import { errors, toSnowflakeError, type SnowflakeError } from './errors.js'
import type { Faults } from './faults.js'
import type { ResolvedOptions } from './options.js'
import { isParamValue, numberParam, parameterList, type ParamValue } from './parameters.js'
import { statusResult, type ChunkLayout } from './results.js'
import { splitStatements } from './multi-statement.js'
import { parseSessionCommand } from './session-commands.js'
import type { Session } from './sessions.js'

export interface QueryRequest {
  sqlText: string
  bindings: Record<string, Binding> | null
  parameters: Record<string, unknown>
  /** Only the result's columns are wanted (the driver's `describeOnly`). */
  describeOnly?: boolean
}

interface SessionNames { database: string | null, schema: string | null, warehouse: string | null, role: string | null }

export interface QueryRecord {
  id: string
  requestId: string | null
  session: Session
  sqlText: string
  numberOfBinds: number
  state: 'running' | 'success' | 'failed'
  canceled: boolean
  result: StatementResult | null
  error: SnowflakeError | null
  /** Resolves (never rejects) when the query has finished. */
  finished: Promise<void>
  abort: AbortController
  parameters: Array<{ name: string, value: ParamValue }>
  final: SessionNames
  layout: ChunkLayout
  finishedAt: number
  /** When the query was last looked up by id (its chunks, its result, its status): a result in use is kept. */
  usedAt: number
  /** The statements a multi-statement request ran, in order; the driver fetches each result by id. */
  resultIds?: string[]
}

export class Statements {
  private readonly queries = new Map<string, QueryRecord>()
  private readonly byRequest = new Map<string, QueryRecord>()
  /** Query ids a client asked to cancel, running or not: a finished query cannot be cancelled, but the ask is a fact tests check. */
  readonly abortsRequested: string[] = []
  private readonly sweeper: NodeJS.Timeout

  constructor (
    private readonly engine: Engine,
    private readonly faults: Faults,
    private readonly opts: ResolvedOptions
  ) {
    this.sweeper = setInterval(() => this.evict(), 10_000)
    this.sweeper.unref()
  }

  /** The query this (session, requestId) already started, unless it failed: a failed request runs again. */
  existing (session: Session, requestId: string | null): QueryRecord | undefined {
    if (requestId === null) return undefined
    const q = this.byRequest.get(requestKey(session, requestId))
    return q !== undefined && q.state !== 'failed' ? q : undefined
  }

  submit (session: Session, requestId: string | null, req: QueryRequest): QueryRecord {
    const abort = new AbortController()
    const q: QueryRecord = {
      id: randomUUID(),
      requestId,
      session,
      sqlText: req.sqlText,
      numberOfBinds: req.bindings === null ? 0 : Object.keys(req.bindings).length,
      state: 'running',
      canceled: false,
      result: null,
      error: null,
      finished: Promise.resolve(),
      abort,
      parameters: [],
      final: names(session),
      layout: { inline: this.opts.inlineRows, chunkRows: this.opts.chunkRows },
      finishedAt: 0,
      usedAt: 0
    }
    this.queries.set(q.id, q)
    if (requestId !== null) this.byRequest.set(requestKey(session, requestId), q)
    this.engine.history.start({
      queryId: q.id,
      sqlText: req.sqlText,
      bindings: req.bindings,
      queryTag: String(statementParam(req, 'QUERY_TAG') ?? session.params.get('QUERY_TAG') ?? ''),
      sessionId: session.id,
      userName: session.user,
      warehouse: session.warehouse,
      database: session.database,
      schema: session.schema,
      role: session.role,
      startTime: new Date(),
      endTime: null,
      elapsedMs: 0,
      rowsProduced: 0,
      bytesScanned: 0,
      status: 'RUNNING',
      errorCode: null,
      errorMessage: null
    })
    q.finished = this.run(q, req).catch((err: unknown) => {
      q.state = 'failed'
      q.error = toSnowflakeError(err)
    })
    return q
  }

  get (queryId: string): QueryRecord | undefined {
    const q = this.queries.get(queryId)
    if (q !== undefined) q.usedAt = Date.now()
    return q
  }

  byRequestId (session: Session, requestId: string): QueryRecord | undefined {
    return this.byRequest.get(requestKey(session, requestId))
  }

  /** Cancels a running query; false when it is not running. */
  cancel (q: QueryRecord): boolean {
    if (q.state !== 'running') return false
    q.canceled = true
    q.abort.abort(errors.canceled())
    return true
  }

  /** Waits up to `ms` for the query to finish; true when it has. */
  async wait (q: QueryRecord, ms: number): Promise<boolean> {
    if (q.state !== 'running') return true
    const timer = new AbortController()
    await Promise.race([q.finished, sleep(ms, undefined, { signal: timer.signal }).catch(() => {})])
    timer.abort()
    return q.state !== 'running'
  }

  running (): QueryRecord[] {
    return [...this.queries.values()].filter(q => q.state === 'running')
  }

  async close (): Promise<void> {
    clearInterval(this.sweeper)
    const running = this.running()
    for (const q of running) this.cancel(q)
    await Promise.all(running.map(q => q.finished))
    for (const q of this.queries.values()) q.result?.release()
    this.queries.clear()
    this.byRequest.clear()
  }

  private async run (q: QueryRecord, req: QueryRequest): Promise<void> {
    const { session } = q
    const signal = q.abort.signal
    const timeoutSeconds = numberParam(statementParam(req, 'STATEMENT_TIMEOUT_IN_SECONDS') ?? session.params.get('STATEMENT_TIMEOUT_IN_SECONDS'))
    const timer = timeoutSeconds !== undefined && timeoutSeconds > 0
      ? setTimeout(() => q.abort.abort(errors.timeout(timeoutSeconds)), timeoutSeconds * 1000)
      : undefined
    try {
      const injected = this.faults.takeQueryFaults(q.sqlText)
      if (injected.latencyMs > 0) await sleep(injected.latencyMs, undefined, { signal })
      if (injected.error !== null) throw injected.error
      const statements = splitStatements(q.sqlText)
      const wanted = numberParam(statementParam(req, 'MULTI_STATEMENT_COUNT') ?? session.params.get('MULTI_STATEMENT_COUNT')) ?? 1
      const command = parseSessionCommand(q.sqlText)
      if (statements.length > 1 && wanted !== 1) {
        if (wanted !== 0 && wanted !== statements.length) throw errors.statementCount(statements.length, wanted)
        q.resultIds = await this.runEach(q, req, statements)
        q.result = statusResult('Multiple statements executed successfully.', 'multiple statement execution')
      } else if (command !== null) {
        if (req.describeOnly !== true) command(session)
        q.result = statusResult('Statement executed successfully.')
      } else {
        if (this.faults.warehouseSuspended) throw errors.warehouseSuspended(session.warehouse)
        q.result = await untilAborted(this.engine.execute(q.sqlText, req.bindings, {
          queryId: q.id,
          sessionId: session.id,
          database: session.database,
          schema: session.schema,
          warehouse: session.warehouse,
          role: session.role,
          user: session.user,
          account: session.account,
          queryIds: session.queryIds.slice(),
          variables: session.variables,
          signal,
          describeOnly: req.describeOnly
        }), signal)
      }
      if (req.describeOnly === true) q.result = withoutRows(q.result)
      q.state = 'success'
    } catch (err) {
      q.state = 'failed'
      q.error = signal.aborted ? toSnowflakeError(signal.reason) : toSnowflakeError(err)
    } finally {
      clearTimeout(timer)
    }
    q.finishedAt = Date.now()
    session.queryIds.push(q.id)
    if (session.queryIds.length > 100) session.queryIds.shift()
    q.final = names(session)
    q.parameters = parameterList(session.params, req.parameters)
    const started = this.engine.history.get(q.id)?.startTime.getTime() ?? q.finishedAt
    this.engine.history.finish(q.id, {
      status: queryStatus(q),
      endTime: new Date(q.finishedAt),
      elapsedMs: q.finishedAt - started,
      rowsProduced: q.result?.rowCount ?? 0,
      bytesScanned: q.result?.bytesScanned ?? 0,
      errorCode: q.error?.code ?? null,
      errorMessage: q.error?.message ?? null
    })
    this.evict()
  }

  /** Runs the statements of a multi-statement request one after another; the first failure fails the request. */
  private async runEach (parent: QueryRecord, req: QueryRequest, statements: string[]): Promise<string[]> {
    const ids: string[] = []
    for (const sqlText of statements) {
      const child = this.submit(parent.session, null, { sqlText, bindings: null, parameters: { ...req.parameters, MULTI_STATEMENT_COUNT: 1 }, describeOnly: req.describeOnly })
      ids.push(child.id)
      const cancel = (): void => { this.cancel(child) }
      parent.abort.signal.addEventListener('abort', cancel, { once: true })
      await child.finished
      parent.abort.signal.removeEventListener('abort', cancel)
      if (child.state === 'failed') throw child.error ?? errors.internal('statement failed without an error')
    }
    return ids
  }

  // Drops finished queries past their TTL, then the oldest while more than maxKeptResults are kept, or while their
  // text passes maxKeptResultBytes: then only those not used for resultInUseMs, so a result being downloaded stays.
  private evict (): void {
    const now = Date.now()
    let finished = 0
    let held = 0
    for (const q of this.queries.values()) {
      if (q.state === 'running') continue
      finished++
      held += q.result?.heldChars() ?? 0
    }
    for (const q of this.queries.values()) {
      if (q.state === 'running') continue
      const inUse = now - Math.max(q.finishedAt, q.usedAt) < this.opts.resultInUseMs
      const fits = finished <= this.opts.maxKeptResults && (held <= this.opts.maxKeptResultBytes || inUse)
      if (fits && now - q.finishedAt < this.opts.resultTtlMs) continue
      held -= q.result?.heldChars() ?? 0
      this.queries.delete(q.id)
      if (q.requestId !== null && this.byRequest.get(requestKey(q.session, q.requestId)) === q) {
        this.byRequest.delete(requestKey(q.session, q.requestId))
      }
      q.result?.release()
      finished--
    }
  }
}

/** The status Snowflake reports for a query (monitoring, query history). */
export function queryStatus (q: QueryRecord): QueryStatus {
  if (q.state === 'running') return 'RUNNING'
  if (q.state === 'success') return 'SUCCESS'
  return q.canceled ? 'ABORTED' : 'FAILED_WITH_ERROR'
}

function requestKey (session: Session, requestId: string): string {
  return `${session.id}:${requestId}`
}

function names (s: Session): SessionNames {
  return { database: s.database, schema: s.schema, warehouse: s.warehouse, role: s.role }
}

function statementParam (req: QueryRequest, name: string): ParamValue | undefined {
  for (const [key, value] of Object.entries(req.parameters)) {
    if (key.toUpperCase() === name && isParamValue(value)) return value
  }
  return undefined
}

/** The result's columns without its rows, for describeOnly. */
function withoutRows (result: StatementResult): StatementResult {
  return { ...result, rowCount: 0, rows: () => [], chunkText: () => '' }
}

// Settles as soon as the signal aborts, even if the engine is slow to notice; a late result is released.
async function untilAborted (work: Promise<StatementResult>, signal: AbortSignal): Promise<StatementResult> {
  if (signal.aborted) {
    work.then(r => r.release(), () => {})
    throw signal.reason
  }
  return await new Promise<StatementResult>((resolve, reject) => {
    const onAbort = (): void => {
      work.then(r => r.release(), () => {})
      reject(signal.reason)
    }
    signal.addEventListener('abort', onAbort, { once: true })
    work.then(
      r => { signal.removeEventListener('abort', onAbort); if (signal.aborted) r.release(); else resolve(r) },
      (err: unknown) => { signal.removeEventListener('abort', onAbort); reject(err) }
    )
  })
}
