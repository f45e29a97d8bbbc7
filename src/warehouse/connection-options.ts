import type { SnowflakeConfig } from '../config.js'
import type { ConnectionOptions } from './driver.js'

export interface Target {
  role?: string
  warehouse?: string
}

/** The driver options for one role/warehouse pair; secrets included, so never log this object. */
export function connectionOptions (config: SnowflakeConfig, target: Target = {}): ConnectionOptions {
  return {
    account: config.account,
    username: config.user,
    authenticator: config.authenticator,
    ...(config.accessUrl ? { accessUrl: config.accessUrl } : {}),
    ...(config.privateKeyPath ? { privateKeyPath: config.privateKeyPath } : {}),
    ...(config.privateKeyPassphrase ? { privateKeyPass: config.privateKeyPassphrase } : {}),
    ...(config.password ? { password: config.password } : {}),
    ...(config.token ? { token: config.token } : {}),
    ...(config.workloadIdentityProvider ? { workloadIdentityProvider: config.workloadIdentityProvider } : {}),
    role: target.role ?? config.role,
    warehouse: target.warehouse ?? config.warehouse,
    database: config.database,
    schema: config.schema,
    application: 'cxone-snowflake-gateway',
    clientSessionKeepAlive: true,
    // With fetchAsString the driver would otherwise turn SQL NULL into the text 'NULL'.
    representNullAsStringNull: false,
    // Login retries sleep for seconds; the pool's acquire timeout bounds the wait instead.
    sfRetryMaxLoginRetries: 1
  } as ConnectionOptions
}

const secretOptions = new Set(['password', 'token', 'privateKey', 'privateKeyPass'])

/** The same options with every secret replaced, for audit pages and logs. */
export function redactedOptions (options: ConnectionOptions): Record<string, unknown> {
  return Object.fromEntries(Object.entries(options)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => [key, secretOptions.has(key) ? '[redacted]' : value]))
}
