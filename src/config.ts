import { getHeapStatistics } from 'node:v8'
import { Ajv, type JSONSchemaType } from 'ajv'
import { parseRedisUrl, RedisUrlError } from './redis/redis-url.js'

const authenticators = ['SNOWFLAKE_JWT', 'OAUTH', 'PROGRAMMATIC_ACCESS_TOKEN', 'WORKLOAD_IDENTITY', 'SNOWFLAKE'] as const
export type Authenticator = typeof authenticators[number]

export interface SnowflakeConfig {
  account: string
  user: string
  authenticator: Authenticator
  privateKeyPath?: string
  privateKeyPassphrase?: string
  password?: string
  token?: string
  workloadIdentityProvider?: string
  role?: string
  warehouse?: string
  database?: string
  schema?: string
  accessUrl?: string
  /**
   * Names where the statements run, for result-cache keys, in place of accessUrl. Set only for the embedded
   * emulator, whose URL has a new random port at every start; never read from the environment.
   */
  location?: string
}

export type CxoneGrant = 'password' | 'client_credentials'

/** How the gateway reaches CXone to push late results into running scripts. */
export interface CxoneConfig {
  /** Discovery: `{issuer}/.well-known/openid-configuration` and `cxone-configuration`. Unused when both URLs are given. */
  issuer?: string
  tenantId?: string
  clientId: string
  clientSecret: string
  grant: CxoneGrant
  /** The access key: username and password of the password grant. */
  accessKeyId?: string
  accessKeySecret?: string
  /** Overrides discovery of the token endpoint (private deployments, tests). */
  tokenUrl?: string
  /** Overrides discovery of the tenant's API endpoint. */
  apiUrl?: string
  /** `v30.0`: the `{version}` in `/incontactapi/services/{version}/…`. */
  apiVersion: string
  /** Where p1…p9 of a signal go: the query string or a JSON body. */
  signalParams: 'query' | 'body'
  /** Connect, headers and body timeout of one CXone request. */
  timeoutMs: number
}

export interface Config {
  port: number
  host: string
  logLevel: string
  actionsDir: string
  responseMaxBytes: number
  bodyLimitBytes: number
  /** How long a client may take to send its request line, headers and body; then the connection is closed. */
  requestTimeoutMs: number
  pool: { min: number, max: number, acquireTimeoutMs: number, checkAfterIdleMs: number, resultPrefetch: number, rowStreamHighWaterMark: number }
  /** V8's `--heap-growing-percent`, set at start (src/heap-growth.ts); 0 leaves it to V8. */
  heapGrowingPercent: number
  /** Query costs are read per session in batches: at most `intervalMs` after a statement, or once `size` are pending. */
  costs: { intervalMs: number, size: number }
  /** Absent: a random secret per process, so cursors do not survive a restart or cross replicas. */
  cursorSecret?: string
  cursorTtlSeconds: number
  /** How long an asynchronous job, its result and its push-back are kept. */
  jobTtlSeconds: number
  /** Absent: demo mode, the gateway is open to every caller. */
  apiKeysFile?: string
  rateLimit: { max: number, windowSeconds: number }
  /** Absent: results are cached in process memory (bounded LRU). One server, Sentinels or a Cluster: see `parseRedisUrl`. */
  redisUrl?: string
  /** After `failures` Redis timeouts or lost connections in a row, Redis is skipped, probed once every `retryMs`. */
  redisBreaker: { failures: number, retryMs: number }
  cache: { timeoutMs: number, writeTimeoutMs: number, maxEntries: number, maxFills: number }
  /** Absent: the embedded emulator is started with its demo data. */
  snowflake?: SnowflakeConfig
  /** Absent: `GET /metrics` is open (keep it on a private network then). */
  metricsToken?: string
  /** How long a Snowflake readiness result is reused, and how long its `SELECT 1` may take. */
  health: { cacheMs: number, timeoutMs: number }
  /** Load shedding: a limit of 0 is off. */
  load: { maxEventLoopDelayMs: number, maxHeapUsedBytes: number, sampleIntervalMs: number, retryAfterSeconds: number }
  /** `delayMs`: readiness fails but requests are still served (lets a load balancer notice); `graceMs`: in-flight requests may finish. */
  shutdown: { delayMs: number, graceMs: number }
  /** Absent: CXone features are off (no CXONE_ISSUER, CXONE_TOKEN_URL or CXONE_API_URL). */
  cxone?: CxoneConfig
}

/** The environment as read: every value a string, as the shell gives it. */
interface Env {
  PORT: number
  HOST: string
  LOG_LEVEL: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'
  ACTIONS_DIR: string
  RESPONSE_MAX_BYTES: number
  BODY_LIMIT_BYTES: number
  REQUEST_TIMEOUT_MS: number
  CURSOR_SECRET?: string
  CURSOR_TTL_SECONDS: number
  JOB_TTL_SECONDS: number
  REDIS_URL?: string
  REDIS_BREAKER_FAILURES: number
  REDIS_BREAKER_RETRY_MS: number
  API_KEYS_FILE?: string
  RATE_LIMIT_MAX: number
  RATE_LIMIT_WINDOW_SECONDS: number
  CACHE_TIMEOUT_MS: number
  CACHE_WRITE_TIMEOUT_MS: number
  CACHE_MAX_ENTRIES: number
  CACHE_MAX_FILLS: number
  SNOWFLAKE_ACCOUNT?: string
  SNOWFLAKE_USER?: string
  SNOWFLAKE_AUTHENTICATOR: Authenticator
  SNOWFLAKE_PRIVATE_KEY_PATH?: string
  SNOWFLAKE_PRIVATE_KEY_PASSPHRASE?: string
  SNOWFLAKE_PASSWORD?: string
  SNOWFLAKE_TOKEN?: string
  SNOWFLAKE_WORKLOAD_IDENTITY_PROVIDER?: 'AWS' | 'AZURE' | 'GCP' | 'OIDC'
  SNOWFLAKE_ROLE?: string
  SNOWFLAKE_WAREHOUSE?: string
  SNOWFLAKE_DATABASE?: string
  SNOWFLAKE_SCHEMA?: string
  SNOWFLAKE_ACCESS_URL?: string
  SNOWFLAKE_POOL_MIN: number
  SNOWFLAKE_POOL_MAX: number
  SNOWFLAKE_ACQUIRE_TIMEOUT_MS: number
  SNOWFLAKE_CHECK_AFTER_IDLE_MS: number
  SNOWFLAKE_RESULT_PREFETCH: number
  SNOWFLAKE_ROW_STREAM_HIGH_WATER_MARK: number
  HEAP_GROWING_PERCENT: number
  COST_BATCH_INTERVAL_MS: number
  COST_BATCH_SIZE: number
  METRICS_TOKEN?: string
  HEALTH_CACHE_MS: number
  HEALTH_TIMEOUT_MS: number
  LOAD_MAX_EVENT_LOOP_DELAY_MS: number
  LOAD_MAX_HEAP_USED_BYTES?: number
  LOAD_SAMPLE_INTERVAL_MS: number
  LOAD_RETRY_AFTER_SECONDS: number
  SHUTDOWN_DELAY_MS: number
  SHUTDOWN_GRACE_MS: number
  CXONE_ISSUER?: string
  CXONE_TENANT_ID?: string
  CXONE_CLIENT_ID?: string
  CXONE_CLIENT_SECRET?: string
  CXONE_GRANT: CxoneGrant
  CXONE_ACCESS_KEY_ID?: string
  CXONE_ACCESS_KEY_SECRET?: string
  CXONE_TOKEN_URL?: string
  CXONE_API_URL?: string
  CXONE_API_VERSION: string
  CXONE_SIGNAL_PARAMS: 'query' | 'body'
  CXONE_TIMEOUT_MS: number
}

const optionalString = { type: 'string', minLength: 1, nullable: true } as const
/** An http(s) URL with no credentials, query or fragment in it: paths are added to it. */
const optionalBaseUrl = { type: 'string', pattern: '^https?://[^/?#@\\s]+(/[^?#\\s]*)?$', nullable: true } as const

const envSchema: JSONSchemaType<Env> = {
  type: 'object',
  properties: {
    PORT: { type: 'integer', minimum: 0, maximum: 65535, default: 8080 },
    HOST: { type: 'string', minLength: 1, default: '127.0.0.1' },
    LOG_LEVEL: { type: 'string', enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], default: 'info' },
    ACTIONS_DIR: { type: 'string', minLength: 1, default: './actions' },
    RESPONSE_MAX_BYTES: { type: 'integer', minimum: 1024, default: 32768 },
    BODY_LIMIT_BYTES: { type: 'integer', minimum: 1024, default: 65536 },
    REQUEST_TIMEOUT_MS: { type: 'integer', minimum: 100, default: 10000 },
    CURSOR_SECRET: { type: 'string', minLength: 16, nullable: true },
    CURSOR_TTL_SECONDS: { type: 'integer', minimum: 1, maximum: 86400, default: 3600 },
    JOB_TTL_SECONDS: { type: 'integer', minimum: 60, maximum: 86400 * 7, default: 3600 },
    REDIS_URL: { type: 'string', pattern: '^rediss?(\\+(sentinel|cluster))?://', nullable: true },
    REDIS_BREAKER_FAILURES: { type: 'integer', minimum: 1, default: 3 },
    REDIS_BREAKER_RETRY_MS: { type: 'integer', minimum: 10, default: 1000 },
    API_KEYS_FILE: optionalString,
    RATE_LIMIT_MAX: { type: 'integer', minimum: 0, default: 600 },
    RATE_LIMIT_WINDOW_SECONDS: { type: 'integer', minimum: 1, default: 60 },
    CACHE_TIMEOUT_MS: { type: 'integer', minimum: 1, default: 50 },
    CACHE_WRITE_TIMEOUT_MS: { type: 'integer', minimum: 1, default: 1000 },
    CACHE_MAX_ENTRIES: { type: 'integer', minimum: 1, default: 10000 },
    CACHE_MAX_FILLS: { type: 'integer', minimum: 1, default: 2 },
    SNOWFLAKE_ACCOUNT: optionalString,
    SNOWFLAKE_USER: optionalString,
    SNOWFLAKE_AUTHENTICATOR: { type: 'string', enum: [...authenticators], default: 'SNOWFLAKE_JWT' },
    SNOWFLAKE_PRIVATE_KEY_PATH: optionalString,
    SNOWFLAKE_PRIVATE_KEY_PASSPHRASE: optionalString,
    SNOWFLAKE_PASSWORD: optionalString,
    SNOWFLAKE_TOKEN: optionalString,
    SNOWFLAKE_WORKLOAD_IDENTITY_PROVIDER: { type: 'string', enum: ['AWS', 'AZURE', 'GCP', 'OIDC'], nullable: true },
    SNOWFLAKE_ROLE: optionalString,
    SNOWFLAKE_WAREHOUSE: optionalString,
    SNOWFLAKE_DATABASE: optionalString,
    SNOWFLAKE_SCHEMA: optionalString,
    SNOWFLAKE_ACCESS_URL: { type: 'string', pattern: '^https?://', nullable: true },
    SNOWFLAKE_POOL_MIN: { type: 'integer', minimum: 0, default: 1 },
    SNOWFLAKE_POOL_MAX: { type: 'integer', minimum: 1, default: 8 },
    SNOWFLAKE_ACQUIRE_TIMEOUT_MS: { type: 'integer', minimum: 1, default: 10000 },
    SNOWFLAKE_CHECK_AFTER_IDLE_MS: { type: 'integer', minimum: 0, default: 60000 },
    // Each result chunk read ahead is held whole in memory (Snowflake's chunks reach tens of MB).
    SNOWFLAKE_RESULT_PREFETCH: { type: 'integer', minimum: 1, maximum: 8, default: 1 },
    SNOWFLAKE_ROW_STREAM_HIGH_WATER_MARK: { type: 'integer', minimum: 1, maximum: 10000, default: 1000 },
    // The old generation may grow this much past the last full collection's survivors (V8's own: up to 300).
    HEAP_GROWING_PERCENT: { type: 'integer', minimum: 0, maximum: 300, default: 10 },
    COST_BATCH_INTERVAL_MS: { type: 'integer', minimum: 10, maximum: 600000, default: 5000 },
    // Each id is a bind of the history statement's IN list.
    COST_BATCH_SIZE: { type: 'integer', minimum: 1, maximum: 1000, default: 50 },
    METRICS_TOKEN: { type: 'string', minLength: 16, nullable: true },
    HEALTH_CACHE_MS: { type: 'integer', minimum: 0, default: 5000 },
    HEALTH_TIMEOUT_MS: { type: 'integer', minimum: 1, default: 2000 },
    LOAD_MAX_EVENT_LOOP_DELAY_MS: { type: 'integer', minimum: 0, default: 1000 },
    LOAD_MAX_HEAP_USED_BYTES: { type: 'integer', minimum: 0, nullable: true },
    LOAD_SAMPLE_INTERVAL_MS: { type: 'integer', minimum: 100, default: 1000 },
    LOAD_RETRY_AFTER_SECONDS: { type: 'integer', minimum: 1, default: 5 },
    SHUTDOWN_DELAY_MS: { type: 'integer', minimum: 0, default: 0 },
    SHUTDOWN_GRACE_MS: { type: 'integer', minimum: 0, default: 10000 },
    CXONE_ISSUER: optionalBaseUrl,
    CXONE_TENANT_ID: optionalString,
    CXONE_CLIENT_ID: optionalString,
    CXONE_CLIENT_SECRET: optionalString,
    CXONE_GRANT: { type: 'string', enum: ['password', 'client_credentials'], default: 'password' },
    CXONE_ACCESS_KEY_ID: optionalString,
    CXONE_ACCESS_KEY_SECRET: optionalString,
    CXONE_TOKEN_URL: optionalBaseUrl,
    CXONE_API_URL: optionalBaseUrl,
    CXONE_API_VERSION: { type: 'string', pattern: '^v[0-9]{1,3}\\.[0-9]{1,3}$', default: 'v30.0' },
    CXONE_SIGNAL_PARAMS: { type: 'string', enum: ['query', 'body'], default: 'query' },
    // CXone Studio waits at most 90 s for anything: a single request never needs longer.
    CXONE_TIMEOUT_MS: { type: 'integer', minimum: 100, maximum: 90000, default: 10000 }
  },
  required: []
}

const validateEnv = new Ajv({ allErrors: true, coerceTypes: true, useDefaults: true }).compile(envSchema)

/** Which credential each authenticator needs, so a missing one is named at start. */
const credentialFor: Record<Authenticator, keyof Env> = {
  SNOWFLAKE_JWT: 'SNOWFLAKE_PRIVATE_KEY_PATH',
  OAUTH: 'SNOWFLAKE_TOKEN',
  PROGRAMMATIC_ACCESS_TOKEN: 'SNOWFLAKE_TOKEN',
  WORKLOAD_IDENTITY: 'SNOWFLAKE_WORKLOAD_IDENTITY_PROVIDER',
  SNOWFLAKE: 'SNOWFLAKE_PASSWORD'
}

const cxoneVariables = Object.keys(envSchema.properties ?? {}).filter((key) => key.startsWith('CXONE_'))

/** CXone is on when it can be reached: an issuer to discover from, or the URLs themselves; anything less is a mistake. */
function cxoneConfig (env: Env, given: readonly string[], problems: string[]): CxoneConfig | undefined {
  const set = cxoneVariables.filter((key) => given.includes(key))
  if (!env.CXONE_ISSUER && !env.CXONE_TOKEN_URL && !env.CXONE_API_URL) {
    if (set.length > 0) problems.push(`CXONE_ISSUER: required when ${set.join(', ')} ${set.length > 1 ? 'are' : 'is'} set (or CXONE_TOKEN_URL and CXONE_API_URL)`)
    return undefined
  }
  if (!env.CXONE_CLIENT_ID) problems.push('CXONE_CLIENT_ID: required when CXone is configured')
  if (!env.CXONE_CLIENT_SECRET) problems.push('CXONE_CLIENT_SECRET: required when CXone is configured')
  if (!env.CXONE_ISSUER) {
    if (!env.CXONE_TOKEN_URL) problems.push('CXONE_TOKEN_URL: required without CXONE_ISSUER (nothing to discover the token endpoint from)')
    if (!env.CXONE_API_URL) problems.push('CXONE_API_URL: required without CXONE_ISSUER (nothing to discover the API endpoint from)')
  } else if (!env.CXONE_API_URL && !env.CXONE_TENANT_ID) {
    problems.push('CXONE_TENANT_ID: required to discover the API endpoint (or set CXONE_API_URL)')
  }
  if (env.CXONE_GRANT === 'password') {
    if (!env.CXONE_ACCESS_KEY_ID) problems.push('CXONE_ACCESS_KEY_ID: required by CXONE_GRANT=password')
    if (!env.CXONE_ACCESS_KEY_SECRET) problems.push('CXONE_ACCESS_KEY_SECRET: required by CXONE_GRANT=password')
  } else {
    for (const key of ['CXONE_ACCESS_KEY_ID', 'CXONE_ACCESS_KEY_SECRET'] as const) {
      if (env[key]) problems.push(`${key}: only used by CXONE_GRANT=password; remove it or change the grant`)
    }
  }
  return {
    issuer: env.CXONE_ISSUER?.replace(/\/+$/, ''),
    tenantId: env.CXONE_TENANT_ID,
    clientId: env.CXONE_CLIENT_ID ?? '',
    clientSecret: env.CXONE_CLIENT_SECRET ?? '',
    grant: env.CXONE_GRANT,
    accessKeyId: env.CXONE_ACCESS_KEY_ID,
    accessKeySecret: env.CXONE_ACCESS_KEY_SECRET,
    tokenUrl: env.CXONE_TOKEN_URL,
    apiUrl: env.CXONE_API_URL?.replace(/\/+$/, ''),
    apiVersion: env.CXONE_API_VERSION,
    signalParams: env.CXONE_SIGNAL_PARAMS,
    timeoutMs: env.CXONE_TIMEOUT_MS
  }
}

export class ConfigError extends Error {
  constructor (readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
    this.name = 'ConfigError'
  }
}

function redisUrlProblem (url: string, problems: string[]): void {
  try {
    parseRedisUrl(url)
  } catch (err) {
    // The message names the part that is wrong, never the URL, which may hold a password.
    if (!(err instanceof RedisUrlError)) throw err
    problems.push(`REDIS_URL: ${err.message}`)
  }
}

/** Reads and checks the environment once, at start; nothing else reads process.env. */
export function loadConfig (source: NodeJS.ProcessEnv = process.env): Config {
  const env: Record<string, unknown> = {}
  for (const key of Object.keys(envSchema.properties)) {
    const value = source[key]
    if (value !== undefined && value !== '') env[key] = value
  }
  // Before defaults are filled in: what the operator set, to name it when it is not enough.
  const given = Object.keys(env)
  if (!validateEnv(env)) {
    throw new ConfigError((validateEnv.errors ?? []).map((e) => {
      const name = e.instancePath.slice(1)
      const allowed = e.params.allowedValues as string[] | undefined
      return `${name}: ${e.message ?? 'is invalid'}${allowed ? ` (${allowed.join(', ')})` : ''}`
    }))
  }
  const problems: string[] = []
  const cxone = cxoneConfig(env, given, problems)
  if (env.REDIS_URL) redisUrlProblem(env.REDIS_URL, problems)
  if (env.SNOWFLAKE_POOL_MIN > env.SNOWFLAKE_POOL_MAX) problems.push('SNOWFLAKE_POOL_MIN: must not exceed SNOWFLAKE_POOL_MAX')
  let snowflake: SnowflakeConfig | undefined
  if (env.SNOWFLAKE_ACCOUNT) {
    if (!env.SNOWFLAKE_USER && env.SNOWFLAKE_AUTHENTICATOR !== 'WORKLOAD_IDENTITY') problems.push('SNOWFLAKE_USER: required when SNOWFLAKE_ACCOUNT is set')
    const credential = credentialFor[env.SNOWFLAKE_AUTHENTICATOR]
    if (!env[credential]) problems.push(`${credential}: required by SNOWFLAKE_AUTHENTICATOR=${env.SNOWFLAKE_AUTHENTICATOR}`)
    snowflake = {
      account: env.SNOWFLAKE_ACCOUNT,
      user: env.SNOWFLAKE_USER ?? '',
      authenticator: env.SNOWFLAKE_AUTHENTICATOR,
      privateKeyPath: env.SNOWFLAKE_PRIVATE_KEY_PATH,
      privateKeyPassphrase: env.SNOWFLAKE_PRIVATE_KEY_PASSPHRASE,
      password: env.SNOWFLAKE_PASSWORD,
      token: env.SNOWFLAKE_TOKEN,
      workloadIdentityProvider: env.SNOWFLAKE_WORKLOAD_IDENTITY_PROVIDER,
      role: env.SNOWFLAKE_ROLE,
      warehouse: env.SNOWFLAKE_WAREHOUSE,
      database: env.SNOWFLAKE_DATABASE,
      schema: env.SNOWFLAKE_SCHEMA,
      accessUrl: env.SNOWFLAKE_ACCESS_URL
    }
  } else if (env.SNOWFLAKE_ACCESS_URL) {
    problems.push('SNOWFLAKE_ACCOUNT: required when SNOWFLAKE_ACCESS_URL is set (the driver needs the account name)')
  }
  if (problems.length > 0) throw new ConfigError(problems)
  return {
    port: env.PORT,
    host: env.HOST,
    logLevel: env.LOG_LEVEL,
    actionsDir: env.ACTIONS_DIR,
    responseMaxBytes: env.RESPONSE_MAX_BYTES,
    bodyLimitBytes: env.BODY_LIMIT_BYTES,
    requestTimeoutMs: env.REQUEST_TIMEOUT_MS,
    cursorSecret: env.CURSOR_SECRET,
    cursorTtlSeconds: env.CURSOR_TTL_SECONDS,
    jobTtlSeconds: env.JOB_TTL_SECONDS,
    redisUrl: env.REDIS_URL,
    redisBreaker: { failures: env.REDIS_BREAKER_FAILURES, retryMs: env.REDIS_BREAKER_RETRY_MS },
    apiKeysFile: env.API_KEYS_FILE,
    rateLimit: { max: env.RATE_LIMIT_MAX, windowSeconds: env.RATE_LIMIT_WINDOW_SECONDS },
    cache: { timeoutMs: env.CACHE_TIMEOUT_MS, writeTimeoutMs: env.CACHE_WRITE_TIMEOUT_MS, maxEntries: env.CACHE_MAX_ENTRIES, maxFills: env.CACHE_MAX_FILLS },
    pool: {
      min: env.SNOWFLAKE_POOL_MIN,
      max: env.SNOWFLAKE_POOL_MAX,
      acquireTimeoutMs: env.SNOWFLAKE_ACQUIRE_TIMEOUT_MS,
      checkAfterIdleMs: env.SNOWFLAKE_CHECK_AFTER_IDLE_MS,
      resultPrefetch: env.SNOWFLAKE_RESULT_PREFETCH,
      rowStreamHighWaterMark: env.SNOWFLAKE_ROW_STREAM_HIGH_WATER_MARK
    },
    heapGrowingPercent: env.HEAP_GROWING_PERCENT,
    costs: { intervalMs: env.COST_BATCH_INTERVAL_MS, size: env.COST_BATCH_SIZE },
    snowflake,
    metricsToken: env.METRICS_TOKEN,
    health: { cacheMs: env.HEALTH_CACHE_MS, timeoutMs: env.HEALTH_TIMEOUT_MS },
    load: {
      maxEventLoopDelayMs: env.LOAD_MAX_EVENT_LOOP_DELAY_MS,
      // Unset: 90% of V8's heap limit, so requests are refused before the process dies of memory.
      maxHeapUsedBytes: env.LOAD_MAX_HEAP_USED_BYTES ?? Math.floor(getHeapStatistics().heap_size_limit * 0.9),
      sampleIntervalMs: env.LOAD_SAMPLE_INTERVAL_MS,
      retryAfterSeconds: env.LOAD_RETRY_AFTER_SECONDS
    },
    shutdown: { delayMs: env.SHUTDOWN_DELAY_MS, graceMs: env.SHUTDOWN_GRACE_MS },
    cxone
  }
}
