import type { ConnectionOptions } from 'snowflake-sdk'

// What both sides of each comparison must agree on: the SQL, the pool size and the driver settings.
export const LOOKUP_SQL = `SELECT CUSTOMER_ID, SEGMENT, LIFETIME_VALUE, REGION, UPDATED_AT
FROM ANALYTICS_DB.PUBLIC.CUSTOMER_SEGMENTS
WHERE CUSTOMER_ID = ?`

/** bench-miss-10k's and bench-miss-100k's statement (they differ only in maxRows). */
export const MISS_SQL = `SELECT CUSTOMER_ID, SEGMENT, LIFETIME_VALUE, REGION
FROM ANALYTICS_DB.PUBLIC.CUSTOMER_SEGMENTS
WHERE LIFETIME_VALUE >= ?
ORDER BY CUSTOMER_ID`

export const EXPORT_SQL = `SELECT EVENT_ID, CUSTOMER_ID, CHANNEL, DURATION_SECONDS, EVENT_TS
FROM ANALYTICS_DB.PUBLIC.INTERACTION_EVENTS
WHERE EVENT_ID >= ?
ORDER BY EVENT_ID`

const number = (name: string, fallback: number): number => {
  const value = Number(process.env[name] ?? fallback)
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name}: not a number >= 0: ${String(process.env[name])}`)
  return value
}

export const POOL_SIZE = number('BENCH_POOL', 4)
/** The NDJSON row's stream size; the bench also streams a tenth and twice as many. */
export const STREAM_ROWS = number('BENCH_ROWS', 1_000_000)
/** The Redis the cache-hit and miss rows share (the hung-Redis row starts its own); its db is flushed. */
export const BENCH_REDIS_URL = process.env.BENCH_REDIS_URL ?? `redis://127.0.0.1:${process.env.TEST_REDIS_PORT ?? 6379}/15`

export const knobs = {
  concurrency: number('BENCH_CONCURRENCY', 16),
  rounds: number('BENCH_ROUNDS', 5),
  roundMs: number('BENCH_ROUND_SECONDS', 3) * 1000,
  firstWarmupMs: number('BENCH_WARMUP_SECONDS', 3) * 1000,
  /** Before every later window of a side: fresh keep-alive sockets after it sat idle. */
  warmupMs: 500,
  missConcurrency: number('BENCH_MISS_CONCURRENCY', 2),
  missMs: number('BENCH_MISS_SECONDS', 4) * 1000,
  streamRounds: number('BENCH_STREAM_ROUNDS', 3),
  hungRounds: number('BENCH_HUNG_ROUNDS', 3),
  hungMs: number('BENCH_HUNG_SECONDS', 5) * 1000,
  hitKeys: number('BENCH_HIT_KEYS', 64),
  pageKeys: number('BENCH_PAGE_KEYS', 4)
}

/** What the cache-hit floor keeps under which key: the gateway's warm-up answers, and its rate counters. */
export type FloorEntry = 'lookup' | 'page' | 'cursor' | 'authed' | 'rate'

export function floorKey (entry: FloorEntry, id: string): string {
  return `bench-floor:${entry}:${id}`
}

/** The authenticated gateway's limit and window, which the rate-limit floor counts against too. */
export const FLOOR_RATE_LIMIT = 1_000_000_000
export const FLOOR_RATE_WINDOW_MS = 60_000

/** The n-th customer id of a fixed spread over the demo table's 100,000 customers. */
export function customerId (n: number): string {
  return 'C' + String(1 + (n * 7919) % 100_000).padStart(6, '0')
}

/**
 * The gateway child's environment against the bench emulator; `extra` adds or overrides variables. Each
 * gateway logs in as its own user, so the emulator's query log tells its statements from the others'.
 */
export function gatewayEnv (emulatorUrl: string, user: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    LOG_LEVEL: 'warn',
    ACTIONS_DIR: 'bench/actions',
    SNOWFLAKE_ACCOUNT: 'BENCH',
    SNOWFLAKE_USER: user,
    SNOWFLAKE_AUTHENTICATOR: 'SNOWFLAKE',
    SNOWFLAKE_PASSWORD: 'bench',
    SNOWFLAKE_ACCESS_URL: emulatorUrl,
    SNOWFLAKE_WAREHOUSE: 'BENCH_WH',
    SNOWFLAKE_DATABASE: 'ANALYTICS_DB',
    SNOWFLAKE_SCHEMA: 'PUBLIC',
    SNOWFLAKE_POOL_MIN: String(POOL_SIZE),
    SNOWFLAKE_POOL_MAX: String(POOL_SIZE),
    CURSOR_SECRET: 'bench-cursor-secret-0123456789',
    // Demo mode without limits unless a row sets them: the rows compare the paths the issue names.
    RATE_LIMIT_MAX: '0',
    ...extra
  }
}

export function connectionOptions (url: string, username: string): ConnectionOptions {
  const names = { account: 'BENCH', username, password: 'bench', warehouse: 'BENCH_WH', database: 'ANALYTICS_DB', schema: 'PUBLIC' }
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
