// Prints the effective Snowflake connection as a JDBC URL plus the driver options, secrets redacted.
import { ConfigError, loadConfig } from '../src/config.js'
import { connectionOptions, redactedOptions } from '../src/warehouse/connection-options.js'
import { jdbcUrl } from '../src/warehouse/jdbc-url.js'

try {
  const config = loadConfig()
  if (!config.snowflake) {
    console.log('No SNOWFLAKE_ACCOUNT is set: the gateway uses its embedded emulator (GET /v1/connection on a running gateway shows it).')
  } else {
    console.log(jdbcUrl(config.snowflake))
    console.log(JSON.stringify(redactedOptions(connectionOptions(config.snowflake)), null, 2))
  }
} catch (err) {
  if (!(err instanceof ConfigError)) throw err
  console.error(err.message)
  process.exitCode = 1
}
