import type { ConnectionOptions } from 'snowflake-sdk'

// What both sides of each comparison must agree on: the SQL, the pool size and the driver settings.
export const LOOKUP_SQL = `SELECT CUSTOMER_ID, SEGMENT, LIFETIME_VALUE, REGION, UPDATED_AT
FROM ANALYTICS_DB.PUBLIC.CUSTOMER_SEGMENTS
WHERE CUSTOMER_ID = ?`

export const EXPORT_SQL = `SELECT EVENT_ID, CUSTOMER_ID, CHANNEL, DURATION_SECONDS, EVENT_TS
FROM ANALYTICS_DB.PUBLIC.INTERACTION_EVENTS
WHERE EVENT_ID >= ?
ORDER BY EVENT_ID`

export const POOL_SIZE = Number(process.env.BENCH_POOL ?? 4)
export const STREAM_ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000)

/** Where the cache-hit floor finds each warmed response body, by customer id. */
export const FLOOR_PREFIX = 'bench-floor:'

/** The n-th customer id of a fixed spread over the demo table's 100,000 customers. */
export function customerId (n: number): string {
  return 'C' + String(1 + (n * 7919) % 100_000).padStart(6, '0')
}

/** The gateway child's environment against the bench emulator; `extra` adds or overrides variables. */
export function gatewayEnv (emulatorUrl: string, actionsDir: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    LOG_LEVEL: 'warn',
    ACTIONS_DIR: actionsDir,
    SNOWFLAKE_ACCOUNT: 'BENCH',
    SNOWFLAKE_USER: 'bench',
    SNOWFLAKE_AUTHENTICATOR: 'SNOWFLAKE',
    SNOWFLAKE_PASSWORD: 'bench',
    SNOWFLAKE_ACCESS_URL: emulatorUrl,
    SNOWFLAKE_WAREHOUSE: 'BENCH_WH',
    SNOWFLAKE_DATABASE: 'ANALYTICS_DB',
    SNOWFLAKE_SCHEMA: 'PUBLIC',
    SNOWFLAKE_POOL_MIN: String(POOL_SIZE),
    SNOWFLAKE_POOL_MAX: String(POOL_SIZE),
    CURSOR_SECRET: 'bench-cursor-secret-0123456789',
    // The limiter still runs on every request (its cost is part of the gateway's); only its cap is lifted.
    RATE_LIMIT_MAX: '1000000000',
    ...extra
  }
}

export function connectionOptions (url: string): ConnectionOptions {
  const names = { account: 'BENCH', username: 'bench', password: 'bench', warehouse: 'BENCH_WH', database: 'ANALYTICS_DB', schema: 'PUBLIC' }
  return { accessUrl: url, ...names, sfRetryMaxLoginRetries: 0 }
}

/** Peak RSS of this process so far, in MB (the kernel's high-water mark, not a sample). */
export function peakRssMb (): number {
  return Math.round(process.resourceUsage().maxRSS / 1024)
}

/** Loads the driver the way the gateway does: no platform probes or telemetry, no log file. */
export async function loadDriver (): Promise<typeof import('snowflake-sdk')> {
  process.env.SNOWFLAKE_DISABLE_PLATFORM_DETECTION = 'true'
  process.env.SF_TELEMETRY_DISABLE_CONNECTION_SHAPE = '1'
  const { default: snowflake } = await import('snowflake-sdk')
  snowflake.configure({ logLevel: 'OFF', disableOCSPChecks: true, useEnvProxy: false })
  return snowflake
}
