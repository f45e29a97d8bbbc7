import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { JobStore } from '../cache/job-store.js'
import { JobRunner, type Notifier } from '../jobs/job-runner.js'

declare module 'fastify' {
  interface FastifyInstance {
    jobs: JobRunner
  }
}

export interface JobsOptions {
  /** The results' store (Redis when configured); absent, jobs live in this process. */
  store?: JobStore
  /** CXone's signal API; absent, a job cannot push its result back to a contact. */
  notifier?: Notifier
}

/** Asynchronous jobs, run by this process and kept where every replica can answer for them. */
async function jobsPlugin (app: FastifyInstance, options: JobsOptions): Promise<void> {
  const store = options.store ?? JobStore.inMemory(app.config.cache.maxEntries)
  app.decorate('jobs', new JobRunner(app, store, {
    ttlMs: app.config.jobTtlSeconds * 1000,
    logger: app.log,
    metrics: app.metrics,
    drain: app.drain,
    cursors: app.cursors,
    notifier: options.notifier
  }))
}

export default fp(jobsPlugin, { name: 'jobs', dependencies: ['config', 'warehouse', 'result-cache', 'cursors', 'drain', 'metrics'] })
