import t from 'tap'
import { connectionOptions, redactedOptions } from '../../src/warehouse/connection-options.js'
import { jdbcUrl } from '../../src/warehouse/jdbc-url.js'

t.test('a key-pair connection names the key file, never the passphrase', async (t) => {
  const config = {
    account: 'myorg-acct',
    user: 'GATEWAY',
    authenticator: 'SNOWFLAKE_JWT' as const,
    privateKeyPath: '/keys/gw.p8',
    privateKeyPassphrase: 'hunter2',
    role: 'ANALYST',
    warehouse: 'WH',
    database: 'DB',
    schema: 'PUBLIC'
  }
  t.equal(jdbcUrl(config), 'jdbc:snowflake://myorg-acct.snowflakecomputing.com/?user=GATEWAY&authenticator=snowflake_jwt' +
    '&private_key_file=%2Fkeys%2Fgw.p8&role=ANALYST&warehouse=WH&db=DB&schema=PUBLIC&application=cxone-snowflake-gateway')
  const options = redactedOptions(connectionOptions(config))
  t.equal(options.privateKeyPass, '[redacted]')
  t.notMatch(JSON.stringify(options), /hunter2/)
})

t.test('tokens are redacted and a private link URL replaces the account host', async (t) => {
  const config = { account: 'acct', user: 'U', authenticator: 'OAUTH' as const, token: 'tok-123', accessUrl: 'https://acct.privatelink.snowflakecomputing.com' }
  t.equal(jdbcUrl(config), 'jdbc:snowflake://acct.privatelink.snowflakecomputing.com/?account=acct&user=U&authenticator=oauth&application=cxone-snowflake-gateway')
  t.equal(redactedOptions(connectionOptions(config)).token, '[redacted]')
})
