import type { SnowflakeConfig } from '../config.js'

const jdbcAuthenticator: Record<SnowflakeConfig['authenticator'], string> = {
  SNOWFLAKE_JWT: 'snowflake_jwt',
  OAUTH: 'oauth',
  PROGRAMMATIC_ACCESS_TOKEN: 'programmatic_access_token',
  WORKLOAD_IDENTITY: 'workload_identity',
  SNOWFLAKE: 'snowflake'
}

/**
 * The connection as a Snowflake JDBC URL, for infrastructure teams to audit or reuse.
 * Secrets never appear: key files are named by path, passwords and tokens left out.
 */
export function jdbcUrl (config: SnowflakeConfig): string {
  const params = new URLSearchParams()
  let host = `${config.account}.snowflakecomputing.com`
  if (config.accessUrl) {
    const url = new URL(config.accessUrl)
    host = url.host
    params.set('account', config.account)
    if (url.protocol === 'http:') params.set('ssl', 'off')
  }
  params.set('user', config.user)
  params.set('authenticator', jdbcAuthenticator[config.authenticator])
  if (config.privateKeyPath) params.set('private_key_file', config.privateKeyPath)
  if (config.role) params.set('role', config.role)
  if (config.warehouse) params.set('warehouse', config.warehouse)
  if (config.database) params.set('db', config.database)
  if (config.schema) params.set('schema', config.schema)
  params.set('application', 'cxone-snowflake-gateway')
  return `jdbc:snowflake://${host}/?${params.toString()}`
}
