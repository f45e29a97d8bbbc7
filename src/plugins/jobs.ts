import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { memoryStore } from '../cache/memory-store.js'
import type { CacheStore } from '../cache/store.js'
import { JobRunner, type Notifier } from '../jobs/job-runner.js'
import { JobStore } from '../jobs/job-store.js'

declare module 'fastify' {
  interface FastifyInstance {
    jobs: JobRunner
  }
}

export interface JobsOptions {
  /** The results' store (Redis when configured); absent, jobs live in this process. */
  store?: CacheStore
  /** CXone's signal API; absent, a job cannot push its result back to a contact. */
  notifier?: Notifier
}

/** Asynchronous jobs, run by this process and kept where every replica can answer for them. */
async function jobsPlugin (app: FastifyInstance, options: JobsOptions): Promise<void> {
  const store = options.store ?? memoryStore(app.config.cache.maxEntries)
  app.decorate('jobs', new JobRunner(app, new JobStore(store), {
    ttlMs: app.config.jobTtlSeconds * 1000,
    logger: app.log,
    metrics: app.metrics,
    drain: app.drain,
    cursors: app.cursors,
    notifier: options.notifier
  }))
}

export default fp(jobsPlugin, { name: 'jobs', dependencies: ['drain', 'metrics'] })
