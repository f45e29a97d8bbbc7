import t from 'tap'
import { ConfigError, loadConfig } from '../src/config.js'

t.test('defaults with an empty environment: embedded emulator, port 8080, 32 KB answers', async (t) => {
  const config = loadConfig({})
  t.equal(config.port, 8080)
  t.equal(config.actionsDir, './actions')
  t.equal(config.responseMaxBytes, 32768)
  t.equal(config.snowflake, undefined)
})

t.test('a Snowflake account with key-pair auth', async (t) => {
  const config = loadConfig({
    SNOWFLAKE_ACCOUNT: 'ORG-ACCT',
    SNOWFLAKE_USER: 'GATEWAY',
    SNOWFLAKE_PRIVATE_KEY_PATH: '/keys/gateway.p8',
    SNOWFLAKE_WAREHOUSE: 'WH',
    SNOWFLAKE_POOL_MAX: '4',
    PORT: '9000'
  })
  t.equal(config.port, 9000)
  t.match(config.snowflake, { account: 'ORG-ACCT', user: 'GATEWAY', authenticator: 'SNOWFLAKE_JWT', privateKeyPath: '/keys/gateway.p8', warehouse: 'WH' })
  t.equal(config.pool.max, 4)
})

t.test('each mistake is named', async (t) => {
  const err = t.throws(() => loadConfig({
    PORT: 'eighty',
    SNOWFLAKE_AUTHENTICATOR: 'EXTERNALBROWSER',
    SNOWFLAKE_POOL_MIN: '-1'
  })) as ConfigError
  t.type(err, ConfigError)
  t.match(err.problems.join('\n'), /PORT: must be integer/)
  t.match(err.problems.join('\n'), /SNOWFLAKE_AUTHENTICATOR: must be equal to one of the allowed values \(SNOWFLAKE_JWT/)
  t.match(err.problems.join('\n'), /SNOWFLAKE_POOL_MIN: must be >= 0/)
})

t.test('the credential an authenticator needs is required', async (t) => {
  const err = t.throws(() => loadConfig({ SNOWFLAKE_ACCOUNT: 'A', SNOWFLAKE_USER: 'U', SNOWFLAKE_AUTHENTICATOR: 'OAUTH' })) as ConfigError
  t.same(err.problems, ['SNOWFLAKE_TOKEN: required by SNOWFLAKE_AUTHENTICATOR=OAUTH'])
  const missingUser = t.throws(() => loadConfig({ SNOWFLAKE_ACCOUNT: 'A', SNOWFLAKE_AUTHENTICATOR: 'SNOWFLAKE', SNOWFLAKE_PASSWORD: 'p' })) as ConfigError
  t.same(missingUser.problems, ['SNOWFLAKE_USER: required when SNOWFLAKE_ACCOUNT is set'])
  const pool = t.throws(() => loadConfig({ SNOWFLAKE_POOL_MIN: '5', SNOWFLAKE_POOL_MAX: '2' })) as ConfigError
  t.same(pool.problems, ['SNOWFLAKE_POOL_MIN: must not exceed SNOWFLAKE_POOL_MAX'])
})

t.test('the heap growth V8 is given: 30 % by default, 0 leaves it to V8, beyond 300 is refused', async (t) => {
  t.equal(loadConfig({}).heapGrowingPercent, 10)
  t.equal(loadConfig({ HEAP_GROWING_PERCENT: '0' }).heapGrowingPercent, 0)
  const err = t.throws(() => loadConfig({ HEAP_GROWING_PERCENT: '301' })) as ConfigError
  t.match(err.problems.join('\n'), /HEAP_GROWING_PERCENT: must be <= 300/)
})
