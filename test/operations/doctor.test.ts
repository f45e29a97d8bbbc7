import { generateKeyPairSync } from 'node:crypto'
import t, { type Test } from 'tap'
import { emulator } from '../helper.js'
import { runNode } from './run-node.js'

const pair = (): { publicKey: string, privateKey: string } => generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' }
})
const key = pair()
// The emulator checks logins as Snowflake does: this user, this public key (its RSA_PUBLIC_KEY).
const warehouse = await emulator(t, { users: [{ name: 'CXONE_GATEWAY', publicKey: key.publicKey }] })

const lookup = `
id: lookup
version: "1"
sql: SELECT CUSTOMER_ID FROM ANALYTICS_DB.PUBLIC.CUSTOMER_SEGMENTS WHERE CUSTOMER_ID = :customerId
input: { type: object, properties: { customerId: { type: string, examples: [C000042] } } }
output: { type: object }
`
const missing = `
id: missing
version: "1"
sql: SELECT * FROM ANALYTICS_DB.PUBLIC.NO_SUCH_TABLE WHERE A = :a
input: { type: object, properties: { a: { type: integer, default: 1 } } }
output: { type: object }
`

async function doctor (t: Test, env: Record<string, string>, files: Record<string, string> = { 'lookup.yaml': lookup }): Promise<{ code: number | null, out: string }> {
  const dir = t.testdir({ actions: files, 'rsa_key.p8': key.privateKey, 'other_key.p8': pair().privateKey })
  const { code, stdout, stderr } = await runNode(['scripts/doctor.ts'], {
    ACTIONS_DIR: `${dir}/actions`,
    SNOWFLAKE_ACCOUNT: 'myorg-myaccount',
    SNOWFLAKE_ACCESS_URL: warehouse.url,
    SNOWFLAKE_USER: 'CXONE_GATEWAY',
    SNOWFLAKE_PRIVATE_KEY_PATH: `${dir}/rsa_key.p8`,
    SNOWFLAKE_ROLE: 'CXONE_GATEWAY_ROLE',
    SNOWFLAKE_WAREHOUSE: 'CXONE_GATEWAY_WH',
    SNOWFLAKE_DATABASE: 'ANALYTICS_DB',
    SNOWFLAKE_SCHEMA: 'PUBLIC',
    ...Object.fromEntries(Object.entries(env).map(([name, value]) => [name, value.replace('$DIR', dir)]))
  })
  return { code, out: stdout + stderr }
}

t.test('a well configured account passes every check', async (t) => {
  const { code, out } = await doctor(t, {})
  t.equal(code, 0, out)
  for (const line of [
    /^ok +configuration: account myorg-myaccount, user CXONE_GATEWAY, SNOWFLAKE_JWT$/m,
    /^ok +login: CXONE_GATEWAY at http/m,
    /^ok +session role: CXONE_GATEWAY_ROLE$/m,
    /^ok +session warehouse: CXONE_GATEWAY_WH$/m,
    /^ok +action lookup: its SQL compiles$/m,
    /^ok +query history QUERY_HISTORY_BY_SESSION\(\): readable/m,
    /^ok +query history QUERY_HISTORY\(\): readable/m,
    /^All checks passed\.$/m
  ]) t.match(out, line)
  const compiled = warehouse.controls.queryLog().filter((q) => q.sqlText.includes('CUSTOMER_ID = ?'))
  t.ok(compiled.length > 0, 'the action\'s own SQL went to Snowflake')
  t.same(compiled.at(-1)?.bindings?.[1]?.value, 'C000042', 'bound with its schema\'s example')
})

t.test('a key that is not the user\'s: the login problem, and what to do', async (t) => {
  const { code, out } = await doctor(t, { SNOWFLAKE_PRIVATE_KEY_PATH: '$DIR/other_key.p8' })
  t.equal(code, 1)
  t.match(out, /^PROBLEM +login: JWT token is invalid\..*\(390144\)$/m)
  t.match(out, /→ the key pair was refused: the user's RSA_PUBLIC_KEY must be the public half of .*other_key\.p8/)
  t.notMatch(out, /BEGIN PRIVATE KEY/, 'no secret is printed')
  t.match(out, /^1 problem\(s\)\.$/m)
})

t.test('an action whose SQL names a missing table: which action, Snowflake\'s words, and the grant', async (t) => {
  const { code, out } = await doctor(t, {}, { 'lookup.yaml': lookup, 'missing.yaml': missing })
  t.equal(code, 1)
  t.match(out, /^ok +action lookup: its SQL compiles$/m)
  t.match(out, /^PROBLEM +action missing: its SQL does not compile: SQL compilation error: Object '(ANALYTICS_DB\.PUBLIC\.)?NO_SUCH_TABLE' does not exist or not authorized\. \(002003\)$/m)
  t.match(out, /→ fix the name, or grant the role SELECT on it \(GRANT SELECT ON \.\.\. TO ROLE CXONE_GATEWAY_ROLE\)/)
})

t.test('settings the gateway would not start with, an unreachable account, a bad action file', async (t) => {
  const config = await doctor(t, { SNOWFLAKE_PRIVATE_KEY_PATH: '' })
  t.equal(config.code, 1)
  t.match(config.out, /SNOWFLAKE_PRIVATE_KEY_PATH: required by SNOWFLAKE_AUTHENTICATOR=SNOWFLAKE_JWT/)
  t.match(config.out, /^PROBLEM +configuration: the gateway would not start with this environment/m)

  const none = await doctor(t, { SNOWFLAKE_ACCOUNT: '', SNOWFLAKE_ACCESS_URL: '' })
  t.match(none.out, /SNOWFLAKE_ACCOUNT is not set: the gateway would use its embedded emulator/)

  const unreachable = await doctor(t, { SNOWFLAKE_ACCESS_URL: 'http://127.0.0.1:1' })
  t.equal(unreachable.code, 1)
  t.match(unreachable.out, /^PROBLEM +login: .*\n +→ the account cannot be reached: check SNOWFLAKE_ACCOUNT/m)

  const badFile = await doctor(t, {}, { 'lookup.yaml': lookup, 'typo.yaml': lookup.replace('id: lookup', 'id: typo') + 'cache_ttl: 5\n' })
  t.match(badFile.out, /^PROBLEM +action file: .*typo\.yaml: \/ must NOT have additional properties \('cache_ttl'\)$/m)
  t.match(badFile.out, /^ok +action lookup: its SQL compiles$/m, 'the good files are still checked')
})
