import type { Logger } from 'pino'
import type SnowflakeSdk from 'snowflake-sdk'
import { inFlight } from '../redaction.js'

// The driver probes cloud metadata endpoints and posts telemetry as it loads unless told not to before import.
process.env.SNOWFLAKE_DISABLE_PLATFORM_DETECTION ??= 'true'
process.env.SF_TELEMETRY_DISABLE_CONNECTION_SHAPE ??= '1'
const { default: snowflake } = await import('snowflake-sdk')

export { snowflake }
export type Snowflake = typeof SnowflakeSdk
export type { Connection, ConnectionOptions, RowStatement, Column, SnowflakeError, Bind } from 'snowflake-sdk'

let configured = false

/**
 * Sends the driver's own logs to pino (it would otherwise write ./snowflake.log and stdout), scrubbed of the
 * sensitive values of every request in flight: a driver line belongs to no request.
 */
export function configureDriver (logger: Logger): void {
  if (configured) return
  configured = true
  const log = logger.child({ component: 'snowflake-sdk' })
  snowflake.configure({
    logLevel: 'WARN',
    useEnvProxy: false,
    customLogger: {
      error: (message: string) => log.error(inFlight.text(message)),
      warn: (message: string) => log.warn(inFlight.text(message)),
      info: (message: string) => log.info(inFlight.text(message)),
      debug: (message: string) => log.debug(inFlight.text(message)),
      trace: (message: string) => log.trace(inFlight.text(message))
    }
  })
}
