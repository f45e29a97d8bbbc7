import t from 'tap'
import { ConfigError, loadConfig } from '../../src/config.js'

const complete = {
  CXONE_ISSUER: 'https://cxone.niceincontact.com/',
  CXONE_TENANT_ID: '11eb0358-a1b2-c3d4-e5f6-0242ac110002',
  CXONE_CLIENT_ID: 'gateway-client',
  CXONE_CLIENT_SECRET: 'client-secret-value',
  CXONE_ACCESS_KEY_ID: 'AKID123',
  CXONE_ACCESS_KEY_SECRET: 'access-key-secret-value'
}

function problemsOf (env: Record<string, string>): string[] {
  try {
    loadConfig(env)
  } catch (error) {
    if (error instanceof ConfigError) return error.problems
    throw error
  }
  throw new Error('expected a ConfigError')
}

t.test('without CXONE_ISSUER or the URLs, CXone is off', async (t) => {
  t.equal(loadConfig({}).cxone, undefined)
})

t.test('an issuer, a tenant, a client and an access key: discovery, password grant, defaults', async (t) => {
  t.same(loadConfig(complete).cxone, {
    issuer: 'https://cxone.niceincontact.com',
    tenantId: '11eb0358-a1b2-c3d4-e5f6-0242ac110002',
    clientId: 'gateway-client',
    clientSecret: 'client-secret-value',
    grant: 'password',
    accessKeyId: 'AKID123',
    accessKeySecret: 'access-key-secret-value',
    tokenUrl: undefined,
    apiUrl: undefined,
    apiVersion: 'v30.0',
    signalParams: 'query',
    timeoutMs: 10000
  })
})

t.test('URLs instead of discovery, client_credentials, body placement, another version', async (t) => {
  const cxone = loadConfig({
    CXONE_TOKEN_URL: 'http://127.0.0.1:9999/auth/token',
    CXONE_API_URL: 'http://127.0.0.1:9999/',
    CXONE_CLIENT_ID: 'c',
    CXONE_CLIENT_SECRET: 's',
    CXONE_GRANT: 'client_credentials',
    CXONE_API_VERSION: 'v18.0',
    CXONE_SIGNAL_PARAMS: 'body',
    CXONE_TIMEOUT_MS: '2500'
  }).cxone
  t.match(cxone, { issuer: undefined, tokenUrl: 'http://127.0.0.1:9999/auth/token', apiUrl: 'http://127.0.0.1:9999', grant: 'client_credentials', apiVersion: 'v18.0', signalParams: 'body', timeoutMs: 2500 })
})

t.test('a partial configuration names what is missing', async (t) => {
  t.same(problemsOf({ CXONE_CLIENT_ID: 'c', CXONE_CLIENT_SECRET: 's' }), ['CXONE_ISSUER: required when CXONE_CLIENT_ID, CXONE_CLIENT_SECRET are set (or CXONE_TOKEN_URL and CXONE_API_URL)'])
  t.same(problemsOf({ CXONE_API_VERSION: 'v29.0' }), ['CXONE_ISSUER: required when CXONE_API_VERSION is set (or CXONE_TOKEN_URL and CXONE_API_URL)'])
  t.same(problemsOf({ ...complete, CXONE_CLIENT_SECRET: '' }), ['CXONE_CLIENT_SECRET: required when CXone is configured'])
  t.same(problemsOf({ ...complete, CXONE_TENANT_ID: '' }), ['CXONE_TENANT_ID: required to discover the API endpoint (or set CXONE_API_URL)'])
  t.same(problemsOf({ ...complete, CXONE_ACCESS_KEY_SECRET: '' }), ['CXONE_ACCESS_KEY_SECRET: required by CXONE_GRANT=password'])
  t.same(problemsOf({ CXONE_TOKEN_URL: 'https://t/auth/token', CXONE_CLIENT_ID: 'c', CXONE_CLIENT_SECRET: 's', CXONE_GRANT: 'client_credentials' }), [
    'CXONE_API_URL: required without CXONE_ISSUER (nothing to discover the API endpoint from)'
  ])
  t.same(problemsOf({ ...complete, CXONE_GRANT: 'client_credentials' }), [
    'CXONE_ACCESS_KEY_ID: only used by CXONE_GRANT=password; remove it or change the grant',
    'CXONE_ACCESS_KEY_SECRET: only used by CXONE_GRANT=password; remove it or change the grant'
  ])
})

t.test('a tenant id is not needed when the API URL is given', async (t) => {
  const cxone = loadConfig({ ...complete, CXONE_TENANT_ID: '', CXONE_API_URL: 'https://api-na1.niceincontact.com' }).cxone
  t.equal(cxone?.apiUrl, 'https://api-na1.niceincontact.com')
})

t.test('each malformed value is named, and no secret is repeated', async (t) => {
  const problems = problemsOf({
    ...complete,
    CXONE_ISSUER: 'ftp://cxone',
    CXONE_TOKEN_URL: 'https://user:client-secret-value@host/auth/token',
    CXONE_GRANT: 'implicit',
    CXONE_API_VERSION: '30',
    CXONE_SIGNAL_PARAMS: 'header',
    CXONE_TIMEOUT_MS: '50'
  }).join('\n')
  t.match(problems, /CXONE_ISSUER: must match pattern/)
  t.match(problems, /CXONE_TOKEN_URL: must match pattern/)
  t.match(problems, /CXONE_GRANT: must be equal to one of the allowed values \(password, client_credentials\)/)
  t.match(problems, /CXONE_API_VERSION: must match pattern/)
  t.match(problems, /CXONE_SIGNAL_PARAMS: must be equal to one of the allowed values \(query, body\)/)
  t.match(problems, /CXONE_TIMEOUT_MS: must be >= 100/)
  t.notMatch(problems, /client-secret-value|access-key-secret-value/)
})
