import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import type { CacheStats } from '../cache/result-cache.js'
import type { RedisStats } from '../redis/redis-connection.js'
import type { HistoryFunction, QueryCost } from '../warehouse/cost-tracker.js'
import type { PoolStats } from '../warehouse/connection-manager.js'

/** What the metrics read when Prometheus scrapes, rather than being told on every request. */
export interface MetricSources {
  cacheStats: () => CacheStats
  poolStats: () => PoolStats[]
  /** Absent without REDIS_URL. */
  redisStats: () => RedisStats | undefined
  /** History statements sent to read costs, by table function. */
  costStatements: () => Record<HistoryFunction, number>
  /** Heartbeats sent to check idle connections before lending them. */
  sessionChecks: () => number
  /** Misses answered without being stored because every fill slot was busy (CACHE_MAX_FILLS). */
  fillsSkipped: () => number
  /** Cache fills running now (at most CACHE_MAX_FILLS). */
  fillsRunning: () => number
  /** Whether `/health/ready` would answer 200 now. */
  ready: () => Promise<boolean>
}

const durationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 90]

/**
 * Every metric of one app instance, in its own registry: tests build many apps in one process, and the
 * global registry would refuse the second set of names.
 */
export class GatewayMetrics {
  readonly registry = new Registry()

  readonly requestDuration = new Histogram({
    name: 'gateway_http_request_duration_seconds',
    help: 'HTTP requests by route, action and status code',
    labelNames: ['method', 'route', 'action', 'status'] as const,
    buckets: durationBuckets,
    registers: [this.registry]
  })

  readonly executions = new Counter({
    name: 'gateway_executions_total',
    help: 'Action executions by outcome: ok, cache_hit, or the error code answered',
    labelNames: ['action', 'outcome'] as const,
    registers: [this.registry]
  })

  readonly outputInvalid = new Counter({
    name: 'gateway_output_invalid_total',
    help: 'Answers refused because a Snowflake row broke the action\'s output schema',
    labelNames: ['action'] as const,
    registers: [this.registry]
  })

  readonly rateLimited = new Counter({
    name: 'gateway_rate_limited_total',
    help: 'Requests answered 429 by route',
    labelNames: ['route'] as const,
    registers: [this.registry]
  })

  readonly shed = new Counter({
    name: 'gateway_load_shed_total',
    help: 'Requests refused with 503 OVERLOADED by what was over its limit',
    labelNames: ['reason'] as const,
    registers: [this.registry]
  })

  readonly clientErrors = new Counter({
    name: 'gateway_client_errors_total',
    help: 'Connections closed before routing: request_timeout (headers and body not in within REQUEST_TIMEOUT_MS), headers_too_large, or bad_request',
    labelNames: ['reason'] as const,
    registers: [this.registry]
  })

  readonly jobs = new Counter({
    name: 'gateway_jobs_total',
    help: 'Asynchronous jobs by action and how they ended: succeeded, failed',
    labelNames: ['action', 'state'] as const,
    registers: [this.registry]
  })

  readonly jobSignals = new Counter({
    name: 'gateway_job_signals_total',
    help: 'Push-backs of finished jobs to the waiting contact (CXone signal): sent, failed',
    labelNames: ['outcome'] as const,
    registers: [this.registry]
  })

  readonly cacheFaults = new Counter({
    name: 'gateway_cache_faults_total',
    help: 'Result-cache calls that failed or timed out (the request went on without the cache), by operation',
    labelNames: ['operation'] as const,
    registers: [this.registry]
  })

  readonly statementDuration = new Histogram({
    name: 'gateway_snowflake_statement_duration_seconds',
    help: 'Snowflake\'s elapsed time of each statement, from its query history',
    labelNames: ['action', 'status'] as const,
    buckets: durationBuckets,
    registers: [this.registry]
  })

  readonly rowsProduced = new Counter({
    name: 'gateway_snowflake_rows_produced_total',
    help: 'Rows produced by statements, from their query history',
    labelNames: ['action'] as const,
    registers: [this.registry]
  })

  readonly bytesScanned = new Counter({
    name: 'gateway_snowflake_bytes_scanned_total',
    help: 'Bytes scanned by statements, from their query history',
    labelNames: ['action'] as const,
    registers: [this.registry]
  })

  readonly cloudServicesCredits = new Counter({
    name: 'gateway_snowflake_cloud_services_credits_total',
    help: 'Cloud services credits used by statements, from their query history (warehouse compute is billed per warehouse, not per statement)',
    labelNames: ['action'] as const,
    registers: [this.registry]
  })

  readonly retries = new Counter({
    name: 'gateway_snowflake_retries_total',
    help: 'Transient Snowflake faults retried, by reason: the Snowflake or driver error code, http_<status>, or acquire_timeout',
    labelNames: ['reason'] as const,
    registers: [this.registry]
  })

  constructor (sources: MetricSources) {
    collectDefaultMetrics({ register: this.registry })
    // Counted by the cache where it is looked up (run-action), so they are copied from its counters at scrape time.
    new Counter({ // eslint-disable-line no-new
      name: 'gateway_cache_lookups_total',
      help: 'Result-cache lookups of cached actions by result: hit, miss, bypass (cache unavailable or action not cached)',
      labelNames: ['result'] as const,
      registers: [this.registry],
      collect () {
        const stats = sources.cacheStats()
        this.reset()
        this.inc({ result: 'hit' }, stats.hits)
        this.inc({ result: 'miss' }, stats.misses)
        this.inc({ result: 'bypass' }, stats.bypasses)
      }
    })
    // The Redis connection's breaker and deadlines, read from its counters at scrape time.
    new Gauge({ // eslint-disable-line no-new
      name: 'gateway_redis_breaker_open',
      help: 'Whether the Redis circuit breaker is open (1): Redis is skipped, the cache fails open and rate limits count in each process, until a probe answers',
      registers: [this.registry],
      collect () { this.set(sources.redisStats()?.breakerOpen ? 1 : 0) }
    })
    const redisCount = (name: string, help: string, read: (stats: RedisStats) => number): void => {
      new Counter({ // eslint-disable-line no-new
        name: `gateway_redis_${name}_total`,
        help,
        registers: [this.registry],
        collect () {
          const stats = sources.redisStats()
          this.reset()
          if (stats) this.inc(read(stats))
        }
      })
    }
    redisCount('timeouts', 'Redis calls (cache, locks, jobs, rate limits) that got no answer within their deadline', (s) => s.timeouts)
    redisCount('skipped', 'Redis calls answered at once without touching Redis because the circuit breaker was open', (s) => s.skipped)
    // Beside gateway_executions_total: statements sent per execution is (executions + these) / executions.
    new Counter({ // eslint-disable-line no-new
      name: 'gateway_cost_history_statements_total',
      help: 'Statements sent to read query costs, by history table function (QUERY_HISTORY_BY_SESSION in batches; QUERY_HISTORY for lookups and lost sessions)',
      labelNames: ['function'] as const,
      registers: [this.registry],
      collect () {
        this.reset()
        for (const [name, count] of Object.entries(sources.costStatements())) this.inc({ function: name }, count)
      }
    })
    new Counter({ // eslint-disable-line no-new
      name: 'gateway_cache_fills_skipped_total',
      help: 'Cache misses answered from one page-size window and not stored, because CACHE_MAX_FILLS fills were already running',
      registers: [this.registry],
      collect () {
        this.reset()
        this.inc(sources.fillsSkipped())
      }
    })
    new Gauge({ // eslint-disable-line no-new
      name: 'gateway_cache_fills_running',
      help: 'Cache fills running now: reading, checking and storing a whole result after its first page was answered (at most CACHE_MAX_FILLS)',
      registers: [this.registry],
      collect () { this.set(sources.fillsRunning()) }
    })
    new Counter({ // eslint-disable-line no-new
      name: 'gateway_snowflake_session_checks_total',
      help: 'Heartbeats sent to check a connection idle past SNOWFLAKE_CHECK_AFTER_IDLE_MS before lending it',
      registers: [this.registry],
      collect () {
        this.reset()
        this.inc(sources.sessionChecks())
      }
    })
    const pool = (name: string, help: string, read: (stats: PoolStats) => number): void => {
      new Gauge({ // eslint-disable-line no-new
        name: `gateway_snowflake_pool_${name}`,
        help,
        labelNames: ['pool'] as const,
        registers: [this.registry],
        collect () {
          this.reset()
          for (const stats of sources.poolStats()) this.set({ pool: stats.key }, read(stats))
        }
      })
    }
    new Gauge({ // eslint-disable-line no-new
      name: 'gateway_ready',
      help: 'Whether this replica is ready for traffic (1) or not (0), as GET /health/ready answers',
      registers: [this.registry],
      async collect () {
        this.set(await sources.ready() ? 1 : 0)
      }
    })
    pool('size', 'Connections open in the pool (idle and borrowed), by role/warehouse', (s) => s.size)
    pool('idle', 'Connections idle in the pool', (s) => s.available)
    pool('borrowed', 'Connections in use', (s) => s.borrowed)
    pool('waiting', 'Requests waiting for a connection', (s) => s.pending)
  }

  recordCost (cost: QueryCost): void {
    const action = actionOfTag(cost.queryTag)
    this.statementDuration.observe({ action, status: cost.status }, cost.elapsedMs / 1000)
    this.rowsProduced.inc({ action }, cost.rowsProduced)
    this.bytesScanned.inc({ action }, cost.bytesScanned)
    this.cloudServicesCredits.inc({ action }, cost.creditsUsedCloudServices)
  }

  recordRetry (error: unknown): void {
    this.retries.inc({ reason: retryReason(error) })
  }
}

/** Statements carry `QUERY_TAG` = `<action id>:<version>`. */
function actionOfTag (tag: string | null): string {
  if (!tag) return ''
  const colon = tag.lastIndexOf(':')
  return colon > 0 ? tag.slice(0, colon) : tag
}

function retryReason (error: unknown): string {
  const { code, name, response } = (error ?? {}) as { code?: unknown, name?: unknown, response?: { statusCode?: unknown } }
  if (typeof response?.statusCode === 'number') return `http_${response.statusCode}`
  if (typeof code === 'string' || typeof code === 'number') return String(code)
  if (name === 'TimeoutError') return 'acquire_timeout'
  return 'other'
}
