// Test controls: fault injection, session expiry and the query log, in-process and over HTTP under
// /__emulator (only when the emulator was started with `controls: true`).
import type { ServerResponse } from 'node:http'
import type { HistoryEntry } from './engine/contract.js'
import type { EmulatorContext, Request } from './context.js'
import { sendJson } from './envelope.js'
import type { FaultSpec } from './faults.js'

export interface EmulatorStats {
  logins: number
  renewals: number
  heartbeats: number
  sessions: number
  runningQueries: number
}

export interface Controls {
  readonly enabled: boolean
  /** The next `times` queries whose SQL matches fail, answer an HTTP status, or are delayed. */
  injectFault (spec: FaultSpec): void
  /** The next `times` chunk downloads answer `httpStatus` (default 503). */
  failChunks (opts: { times?: number, httpStatus?: number }): void
  /** The next `times` chunk downloads wait `ms` before answering. */
  stallChunks (opts: { times?: number, ms: number }): void
  /** Every query fails with 000606/57P03 until resumeWarehouse() or clearFaults(). */
  suspendWarehouse (): void
  resumeWarehouse (): void
  /** Session tokens (and master tokens with `master`) of one or all sessions expire now. Returns how many. */
  expireSessions (opts?: { sessionId?: number, master?: boolean }): number
  clearFaults (): void
  queryLog (): HistoryEntry[]
  /** Ids of the queries a client asked to cancel (abort-request), in order, whether they were still running or not. */
  abortsRequested (): string[]
  /** The queries running now, so a test can wait for its own statement rather than any. */
  runningQueries (): Array<{ queryId: string, sqlText: string }>
  stats (): EmulatorStats
}

export function createControls (ctx: EmulatorContext): Controls {
  const enabled = ctx.opts.controls
  const guard = (): void => {
    if (!enabled) throw new Error('emulator test controls are disabled; start it with { controls: true }')
  }
  return {
    enabled,
    injectFault (spec) { guard(); ctx.faults.add(spec) },
    failChunks ({ times = 1, httpStatus = 503 }) { guard(); ctx.faults.addChunkFault({ times, httpStatus }) },
    stallChunks ({ times = 1, ms }) { guard(); ctx.faults.addChunkFault({ times, stallMs: ms }) },
    suspendWarehouse () { guard(); ctx.faults.warehouseSuspended = true },
    resumeWarehouse () { guard(); ctx.faults.warehouseSuspended = false },
    expireSessions (opts = {}) { guard(); return ctx.sessions.expire(opts) },
    clearFaults () { guard(); ctx.faults.clear() },
    queryLog () { guard(); return ctx.engine.history.list() },
    abortsRequested () { guard(); return [...ctx.statements.abortsRequested] },
    runningQueries () { guard(); return ctx.statements.running().map(q => ({ queryId: q.id, sqlText: q.sqlText })) },
    stats () {
      return {
        logins: ctx.sessions.logins,
        renewals: ctx.sessions.renewals,
        heartbeats: ctx.sessions.heartbeats,
        sessions: ctx.sessions.list().filter(s => !s.closed).length,
        runningQueries: ctx.statements.running().length
      }
    }
  }
}

interface HttpFaultSpec extends Omit<FaultSpec, 'match'> { match?: string, flags?: string }

/** Routes under /__emulator; answers 404 when controls are off. */
export async function handleControl (controls: Controls, req: Request, res: ServerResponse): Promise<void> {
  if (!controls.enabled) return sendJson(res, 404, { ok: false, error: 'test controls are disabled' })
  const body = (req.body ?? {}) as Record<string, unknown>
  const route = `${req.method} ${req.path.slice('/__emulator'.length)}`
  switch (route) {
    case 'POST /faults': {
      const spec = body as HttpFaultSpec
      controls.injectFault({ ...spec, match: spec.match === undefined ? undefined : new RegExp(spec.match, spec.flags ?? 'i') })
      return sendJson(res, 200, { ok: true })
    }
    case 'DELETE /faults':
      controls.clearFaults()
      return sendJson(res, 200, { ok: true })
    case 'POST /chunks/fail':
      controls.failChunks(body as { times?: number, httpStatus?: number })
      return sendJson(res, 200, { ok: true })
    case 'POST /chunks/stall':
      controls.stallChunks({ times: Number(body.times ?? 1), ms: Number(body.ms ?? 0) })
      return sendJson(res, 200, { ok: true })
    case 'POST /warehouse/suspend':
      controls.suspendWarehouse()
      return sendJson(res, 200, { ok: true })
    case 'POST /warehouse/resume':
      controls.resumeWarehouse()
      return sendJson(res, 200, { ok: true })
    case 'POST /sessions/expire':
      return sendJson(res, 200, { ok: true, expired: controls.expireSessions(body as { sessionId?: number, master?: boolean }) })
    case 'GET /queries':
      return sendJson(res, 200, { ok: true, queries: controls.queryLog() })
    case 'GET /stats':
      return sendJson(res, 200, { ok: true, ...controls.stats() })
    default:
      return sendJson(res, 404, { ok: false, error: `no control ${route}` })
  }
}
