// Verifies the key-pair login JWT that snowflake-sdk signs (RS256). The driver puts iat/exp in
// MILLISECONDS (3.3.0); values below 1e11 are read as seconds, the JWT standard, so both work.
import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto'

export interface JwtClaims {
  iss: string
  sub: string
  iat?: number
  exp: number
}

export type JwtCheck = { ok: true } | { ok: false, reason: string }

/** base64 SHA-256 of the DER SPKI form: the `SHA256:<fp>` part of `iss`. */
export function publicKeyFingerprint (key: KeyObject | string): string {
  const keyObject = typeof key === 'string' ? createPublicKey(key) : key
  const der = keyObject.export({ type: 'spki', format: 'der' })
  return createHash('sha256').update(der).digest('base64')
}

/** Reads the claims without checking anything (to find the user). */
export function decodeJwt (token: string): JwtClaims | null {
  const parts = token.split('.')
  if (parts.length !== 3) return null
  try {
    const claims: unknown = JSON.parse(Buffer.from(parts[1] ?? '', 'base64url').toString('utf8'))
    if (!isClaims(claims)) return null
    return claims
  } catch {
    return null
  }
}

export function verifyJwt (token: string, publicKeyPem: string, account: string, user: string): JwtCheck {
  const [headerPart = '', payloadPart = '', signaturePart = ''] = token.split('.')
  let header: unknown
  try {
    header = JSON.parse(Buffer.from(headerPart, 'base64url').toString('utf8'))
  } catch {
    return { ok: false, reason: 'Malformed header.' }
  }
  if (typeof header !== 'object' || header === null || (header as { alg?: unknown }).alg !== 'RS256') {
    return { ok: false, reason: 'Unsupported algorithm.' }
  }
  const claims = decodeJwt(token)
  if (claims === null) return { ok: false, reason: 'Malformed claims.' }

  let key: KeyObject
  try {
    key = createPublicKey(publicKeyPem)
  } catch {
    return { ok: false, reason: 'The registered public key cannot be read.' }
  }
  const subject = `${account}.${user}`.toUpperCase()
  const [issSubject = '', fingerprint = ''] = claims.iss.split('.SHA256:')
  if (issSubject.toUpperCase() !== subject) return { ok: false, reason: 'Issuer does not match the user.' }
  if (fingerprint !== publicKeyFingerprint(key)) return { ok: false, reason: 'Public key fingerprint mismatch.' }
  if (claims.sub.toUpperCase() !== subject) return { ok: false, reason: 'Subject does not match the user.' }

  const signed = Buffer.from(`${headerPart}.${payloadPart}`)
  const signature = Buffer.from(signaturePart, 'base64url')
  if (!verify('RSA-SHA256', signed, key, signature)) return { ok: false, reason: 'Signature verification failed.' }

  if (isExpired(claims)) return { ok: false, reason: 'Token has expired.' }
  return { ok: true }
}

/** `exp` has passed; below 1e11 it is in seconds (the JWT standard), otherwise milliseconds (snowflake-sdk). */
export function isExpired (claims: JwtClaims): boolean {
  const expMs = claims.exp < 1e11 ? claims.exp * 1000 : claims.exp
  return Date.now() >= expMs
}

function isClaims (c: unknown): c is JwtClaims {
  if (typeof c !== 'object' || c === null) return false
  const o = c as Record<string, unknown>
  return typeof o.iss === 'string' && typeof o.sub === 'string' && typeof o.exp === 'number'
}
