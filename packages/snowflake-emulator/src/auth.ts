// Login: password or SNOWFLAKE_JWT key pair. With no users configured (demo mode) any credentials pass.
import { timingSafeEqual } from 'node:crypto'
import { errors, type SnowflakeError } from './errors.js'
import { decodeJwt, isExpired, verifyJwt } from './jwt.js'
import type { EmulatorUser } from './options.js'

export interface LoginData {
  ACCOUNT_NAME?: unknown
  LOGIN_NAME?: unknown
  PASSWORD?: unknown
  AUTHENTICATOR?: unknown
  TOKEN?: unknown
  SESSION_PARAMETERS?: unknown
}

export interface Identity { account: string, user: string }

export function authenticate (data: LoginData, users: EmulatorUser[] | null): Identity | SnowflakeError {
  const account = typeof data.ACCOUNT_NAME === 'string' ? data.ACCOUNT_NAME.toUpperCase() : ''
  const login = typeof data.LOGIN_NAME === 'string' ? data.LOGIN_NAME : ''
  const authenticator = typeof data.AUTHENTICATOR === 'string' ? data.AUTHENTICATOR.toUpperCase() : 'SNOWFLAKE'
  if (account === '' || login === '') return errors.badCredentials()
  const identity = { account, user: login.toUpperCase() }

  if (authenticator === 'SNOWFLAKE_JWT') {
    const token = typeof data.TOKEN === 'string' ? data.TOKEN : ''
    if (users === null) return demoJwt(token, identity)
    const user = findUser(users, login)
    if (user?.publicKey === undefined) return errors.badJwt('No public key is registered for this user.')
    const check = verifyJwt(token, user.publicKey, account, login)
    return check.ok ? identity : errors.badJwt(check.reason)
  }
  if (authenticator !== 'SNOWFLAKE') return errors.badCredentials()
  if (users === null) return identity
  const user = findUser(users, login)
  const password = typeof data.PASSWORD === 'string' ? data.PASSWORD : ''
  if (user?.password === undefined || !sameText(user.password, password)) return errors.badCredentials()
  return identity
}

// Demo mode has no keys to check the signature against; the token must still be well formed and current.
function demoJwt (token: string, identity: Identity): Identity | SnowflakeError {
  const claims = decodeJwt(token)
  if (claims === null) return errors.badJwt('Malformed token.')
  if (isExpired(claims)) return errors.badJwt('Token has expired.')
  return identity
}

function findUser (users: EmulatorUser[], login: string): EmulatorUser | undefined {
  const wanted = login.toUpperCase()
  return users.find(u => u.name.toUpperCase() === wanted)
}

function sameText (a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}
