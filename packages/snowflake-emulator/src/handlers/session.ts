// Login, token renewal, heartbeat, logout and telemetry (wire doc §4–§6).
import { authenticate, type LoginData } from '../auth.js'
import type { Handler, Request } from '../context.js'
import { failure, ok, sendJson } from '../envelope.js'
import { errors, SnowflakeError } from '../errors.js'
import { optionalIdentifier } from '../identifiers.js'
import { parameterList } from '../parameters.js'
import type { Session } from '../sessions.js'

export const login: Handler = async (ctx, req, res) => {
  const data = (req.body as { data?: LoginData } | undefined)?.data
  if (typeof data !== 'object' || data === null) return sendJson(res, 400, failure(errors.badRequest('login body has no data')))
  const identity = authenticate(data, ctx.opts.users)
  if (identity instanceof SnowflakeError) return sendJson(res, 200, failure(identity))
  const sessionParameters = typeof data.SESSION_PARAMETERS === 'object' && data.SESSION_PARAMETERS !== null
    ? data.SESSION_PARAMETERS as Record<string, unknown>
    : undefined
  const session = ctx.sessions.create({
    ...identity,
    warehouse: optionalIdentifier(req.query.get('warehouse')),
    database: optionalIdentifier(req.query.get('databaseName')),
    schema: optionalIdentifier(req.query.get('schemaName')),
    role: optionalIdentifier(req.query.get('roleName')),
    parameters: sessionParameters
  })
  sendJson(res, 200, ok({
    token: session.sessionToken,
    masterToken: session.masterToken,
    validityInSeconds: ctx.opts.sessionTtlSeconds,
    masterValidityInSeconds: ctx.opts.masterTtlSeconds,
    sessionId: session.id,
    displayUserName: session.user,
    serverVersion: '8.40.0',
    firstLogin: false,
    remMeToken: null,
    remMeValidityInSeconds: 0,
    healthCheckInterval: 45,
    newClientForUpgrade: null,
    idToken: null,
    idTokenValidityInSeconds: 0,
    responseData: null,
    mfaToken: null,
    mfaTokenValidityInSeconds: 0,
    parameters: parameterList(session.params),
    sessionInfo: {
      databaseName: session.database,
      schemaName: session.schema,
      warehouseName: session.warehouse,
      roleName: session.role
    }
  }))
}

export const renewToken: Handler = async (ctx, req, res) => {
  const session = ctx.sessions.renew(req.token)
  if (session instanceof SnowflakeError) return sendJson(res, 200, failure(session))
  // The driver stores whatever masterToken comes back, so it must always be present.
  sendJson(res, 200, ok({
    sessionToken: session.sessionToken,
    validityInSecondsST: ctx.opts.sessionTtlSeconds,
    masterToken: session.masterToken,
    validityInSecondsMT: Math.max(0, Math.floor((session.masterExpiresAt - Date.now()) / 1000)),
    sessionId: session.id
  }))
}

export const heartbeat: Handler = async (ctx, req, res) => {
  const session = requireSession(ctx.sessions.authenticate(req.token), res)
  ctx.sessions.heartbeats++
  if (session !== null) sendJson(res, 200, ok({}))
}

export const logout: Handler = async (ctx, req, res) => {
  if (req.query.get('delete') !== 'true') return sendJson(res, 400, failure(errors.badRequest('expected delete=true')))
  const session = requireSession(ctx.sessions.authenticate(req.token), res)
  if (session === null) return
  ctx.sessions.close(session)
  // The logout stands even if a temporary table cannot be dropped.
  await ctx.engine.endSession?.(session.id).catch(() => undefined)
  sendJson(res, 200, ok(null))
}

export const telemetry: Handler = async (_ctx, _req, res) => {
  sendJson(res, 200, ok(null))
}

/** The session, or null after answering with the error Snowflake would send. */
export function requireSession (auth: Session | SnowflakeError, res: Parameters<Handler>[2]): Session | null {
  if (!(auth instanceof SnowflakeError)) return auth
  // A missing token is an HTTP-level failure; token states are business errors the driver acts on.
  sendJson(res, auth.code === '390103' ? 401 : 200, failure(auth))
  return null
}

export function sessionFor (ctx: Parameters<Handler>[0], req: Request, res: Parameters<Handler>[2]): Session | null {
  return requireSession(ctx.sessions.authenticate(req.token), res)
}
