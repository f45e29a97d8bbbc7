// Sessions and their two tokens: a short-lived session token used on every call, and a master token that
// renews it (token-request). Expired tokens stay known so the driver gets 390112/390114 rather than 390104.
import { randomBytes } from 'node:crypto'
import { errors, SnowflakeError } from './errors.js'
import { initialParameters, type Parameters } from './parameters.js'

export interface NewSession {
  account: string
  user: string
  database: string | null
  schema: string | null
  warehouse: string | null
  role: string | null
  parameters: Record<string, unknown> | undefined
}

export interface Session extends Omit<NewSession, 'parameters'> {
  id: number
  params: Parameters
  sessionToken: string
  sessionExpiresAt: number
  masterToken: string
  masterExpiresAt: number
  closed: boolean
  /** The session can no longer be used or renewed (logged out, or its master token expired); told once. */
  ended: boolean
  /** Session variables (SET x = …) as SQL literals. */
  variables: Map<string, string>
  /** Ids of the session's queries, oldest first (LAST_QUERY_ID). */
  queryIds: string[]
}

interface TokenEntry { session: Session, kind: 'session' | 'master' }

export class SessionStore {
  private nextId = 1001
  private readonly sessions = new Map<number, Session>()
  private readonly tokens = new Map<string, TokenEntry>()
  private readonly sweeper: NodeJS.Timeout
  logins = 0
  renewals = 0
  heartbeats = 0

  constructor (
    private readonly sessionTtlMs: number,
    private readonly masterTtlMs: number,
    /** Called once when a session ends, so its temporary tables go (a logout drops them itself, before answering). */
    private readonly onEnd: (session: Session) => void = () => {}
  ) {
    this.sweeper = setInterval(() => this.sweep(), 60_000)
    this.sweeper.unref()
  }

  create (n: NewSession): Session {
    const now = Date.now()
    const session: Session = {
      id: this.nextId++,
      account: n.account,
      user: n.user,
      database: n.database,
      schema: n.schema,
      warehouse: n.warehouse,
      role: n.role,
      params: initialParameters(n.parameters),
      sessionToken: token('ST'),
      sessionExpiresAt: now + this.sessionTtlMs,
      masterToken: token('MT'),
      masterExpiresAt: now + this.masterTtlMs,
      closed: false,
      ended: false,
      variables: new Map(),
      queryIds: []
    }
    this.sessions.set(session.id, session)
    this.tokens.set(session.sessionToken, { session, kind: 'session' })
    this.tokens.set(session.masterToken, { session, kind: 'master' })
    this.logins++
    return session
  }

  /** The session a session token belongs to, or the error Snowflake would answer. */
  authenticate (sessionToken: string | undefined): Session | SnowflakeError {
    const session = this.owner(sessionToken, 'session')
    if (session instanceof SnowflakeError) return session
    // A token replaced by a renewal counts as expired, so in-flight requests renew and replay.
    if (session.sessionToken !== sessionToken || Date.now() >= session.sessionExpiresAt) return errors.sessionExpired()
    return session
  }

  renew (masterToken: string | undefined): Session | SnowflakeError {
    const session = this.owner(masterToken, 'master')
    if (session instanceof SnowflakeError) return session
    if (Date.now() >= session.masterExpiresAt) return errors.masterExpired()
    session.sessionToken = token('ST')
    session.sessionExpiresAt = Date.now() + this.sessionTtlMs
    this.renewals++
    this.tokens.set(session.sessionToken, { session, kind: 'session' })
    return session
  }

  /** The open session a token of the given kind belongs to. */
  private owner (token: string | undefined, kind: 'session' | 'master'): Session | SnowflakeError {
    if (token === undefined) return errors.noToken()
    const entry = this.tokens.get(token)
    if (entry === undefined || entry.kind !== kind) return errors.tokenInvalid()
    return entry.session.closed ? errors.sessionGone() : entry.session
  }

  close (session: Session): void {
    session.closed = true
    session.ended = true
  }

  private end (session: Session): void {
    if (session.ended) return
    session.ended = true
    this.onEnd(session)
  }

  /** Expires session tokens now (and master tokens too when `master`), for one session or all. */
  expire (opts: { sessionId?: number, master?: boolean } = {}): number {
    let count = 0
    for (const session of this.sessions.values()) {
      if (opts.sessionId !== undefined && session.id !== opts.sessionId) continue
      session.sessionExpiresAt = 0
      if (opts.master === true) {
        session.masterExpiresAt = 0
        this.end(session)
      }
      count++
    }
    return count
  }

  list (): Session[] {
    return [...this.sessions.values()]
  }

  stop (): void {
    clearInterval(this.sweeper)
  }

  // Forget sessions that can no longer be renewed, with all their tokens.
  private sweep (): void {
    const now = Date.now()
    const dead = new Set<Session>()
    for (const s of this.sessions.values()) {
      // A session whose master token expired cannot be renewed: it has ended, though its tokens stay known a while.
      if (now >= s.masterExpiresAt) this.end(s)
      if (s.closed || now >= s.masterExpiresAt + this.masterTtlMs) dead.add(s)
    }
    if (dead.size === 0) return
    for (const [t, entry] of this.tokens) if (dead.has(entry.session)) this.tokens.delete(t)
    for (const s of dead) this.sessions.delete(s.id)
  }
}

function token (prefix: string): string {
  return `${prefix}-${randomBytes(24).toString('base64url')}`
}
