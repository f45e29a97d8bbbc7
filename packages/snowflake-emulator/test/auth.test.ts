import { createSign, generateKeyPairSync } from 'node:crypto'
import t from 'tap'
import { publicKeyFingerprint } from '../src/jwt.js'
import { connectWith, destroy, exec, useEmulator, type DriverError } from './helper.js'

const keys = () => generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' }
})
const bob = keys()
const stranger = keys()

const h = useEmulator(t, {
  users: [
    { name: 'alice', password: 'secret' },
    { name: 'BOB', publicKey: bob.publicKey }
  ]
})

async function loginError (extra: Parameters<typeof h.options>[0]): Promise<DriverError> {
  try {
    await destroy(await connectWith(h.options(extra)))
  } catch (err) {
    return err as DriverError
  }
  throw new Error('login should have failed')
}

/** A JWT as snowflake-sdk signs it (times in ms), with knobs to break it. */
function jwt (opts: { user?: string, privateKey?: string, fingerprintOf?: string, expMs?: number, tamper?: boolean }): string {
  const user = (opts.user ?? 'BOB').toUpperCase()
  const now = Date.now()
  const header = Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT' })).toString('base64url')
  const payload = Buffer.from(JSON.stringify({
    iss: `TESTACCT.${user}.SHA256:${publicKeyFingerprint(opts.fingerprintOf ?? bob.publicKey)}`,
    sub: `TESTACCT.${user}`,
    iat: now,
    exp: opts.expMs ?? now + 120_000
  })).toString('base64url')
  const signature = createSign('RSA-SHA256').update(`${header}.${payload}`).sign(opts.privateKey ?? bob.privateKey)
  if (opts.tamper === true) signature[0] = (signature[0] ?? 0) ^ 0xff
  return `${header}.${payload}.${signature.toString('base64url')}`
}

async function rawLogin (token: string): Promise<{ success: boolean, code: string | null }> {
  const res = await fetch(`${h.emulator.url}/session/v1/login-request`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ data: { ACCOUNT_NAME: 'TESTACCT', LOGIN_NAME: 'bob', AUTHENTICATOR: 'SNOWFLAKE_JWT', TOKEN: token } })
  })
  return await res.json() as { success: boolean, code: string | null }
}

t.test('password login with the right password works', async t => {
  const conn = await h.connect()
  t.ok(conn.isUp())
  const { rows } = await exec(conn, 'select 1')
  t.equal(rows.length, 1)
})

t.test('user names compare case-insensitively', async t => {
  const conn = await h.connect({ username: 'ALICE' })
  t.ok(conn.isUp())
})

t.test('a wrong password is refused with 390100', async t => {
  const err = await loginError({ password: 'wrong' })
  t.equal(err.code, '390100')
  t.equal(err.message, 'Incorrect username or password was specified.')
})

t.test('an unknown user is refused with 390100', async t => {
  const err = await loginError({ username: 'mallory' })
  t.equal(err.code, '390100')
})

t.test('key-pair (SNOWFLAKE_JWT) login with the registered key works', async t => {
  const conn = await h.connect({ username: 'bob', password: undefined, authenticator: 'SNOWFLAKE_JWT', privateKey: bob.privateKey })
  const { rows } = await exec(conn, 'select 1')
  t.equal(rows.length, 1)
})

t.test('key-pair login with another key is refused with 390144', async t => {
  const err = await loginError({ username: 'bob', password: undefined, authenticator: 'SNOWFLAKE_JWT', privateKey: stranger.privateKey })
  t.equal(err.code, '390144')
})

t.test('key-pair login for a user without a key is refused with 390144', async t => {
  const err = await loginError({ username: 'nobody', password: undefined, authenticator: 'SNOWFLAKE_JWT', privateKey: bob.privateKey })
  t.equal(err.code, '390144')
})

t.test('JWT checks: signature, fingerprint, expiry (ms and seconds)', async t => {
  t.match(await rawLogin(jwt({})), { success: true, code: null }, 'a well-formed token passes')
  t.match(await rawLogin(jwt({ tamper: true })), { success: false, code: '390144' }, 'bad signature')
  t.match(await rawLogin(jwt({ privateKey: stranger.privateKey })), { success: false, code: '390144' }, 'signed by another key')
  t.match(await rawLogin(jwt({ fingerprintOf: stranger.publicKey, privateKey: stranger.privateKey })), { success: false, code: '390144' }, 'fingerprint of another key')
  t.match(await rawLogin(jwt({ expMs: Date.now() - 1000 })), { success: false, code: '390144' }, 'expired (ms)')
  t.match(await rawLogin(jwt({ expMs: Math.floor(Date.now() / 1000) - 10 })), { success: false, code: '390144' }, 'expired (seconds)')
  t.match(await rawLogin(jwt({ expMs: Math.floor(Date.now() / 1000) + 60 })), { success: true }, 'current (seconds)')
  t.match(await rawLogin('not.a.jwt'), { success: false, code: '390144' }, 'garbage')
})

t.test('bad requests get Snowflake-shaped errors', async t => {
  const url = h.emulator.url
  const unknown = await fetch(`${url}/no/such/path`)
  t.equal(unknown.status, 404)
  t.match(await unknown.json(), { success: false, code: String })

  const badJson = await fetch(`${url}/session/v1/login-request`, { method: 'POST', body: '{nope', headers: { 'content-type': 'application/json' } })
  t.equal(badJson.status, 400)
  t.match(await badJson.json(), { success: false, code: String, message: /JSON/ })

  const noToken = await fetch(`${url}/queries/v1/query-request`, { method: 'POST', body: '{"sqlText":"select 1"}' })
  t.equal(noToken.status, 401)
  t.match(await noToken.json(), { success: false, code: '390103' })

  const badToken = await fetch(`${url}/queries/v1/query-request`, {
    method: 'POST', body: '{"sqlText":"select 1"}', headers: { authorization: 'Snowflake Token="forged"' }
  })
  t.equal(badToken.status, 200)
  t.match(await badToken.json(), { success: false, code: '390104' })

  const noData = await fetch(`${url}/session/v1/login-request`, { method: 'POST', body: '{}' })
  t.equal(noData.status, 400)
})

t.test('demo mode accepts any account, user and password', async t => {
  const { startEmulator } = await import('../src/index.js')
  const demo = await startEmulator({ engine: h.emulator.engine })
  t.teardown(() => demo.close())
  const conn = await connectWith({ ...h.options(), accessUrl: demo.url, account: 'ANY', username: 'whoever', password: 'x' })
  t.ok(conn.isUp())
  await destroy(conn)
})
