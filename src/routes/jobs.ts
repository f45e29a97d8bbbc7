import type { FastifyInstance } from 'fastify'
import { JobNotFound } from '../errors.js'
import { renderPage } from '../execution/render-page.js'
import { RowTexts } from '../row-texts.js'
import { jobIdPattern, type Job } from '../jobs/job.js'
import { errorResponses } from '../schemas/error.js'

const jobSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    state: { type: 'string', enum: ['queued', 'running', 'succeeded', 'failed'] },
    action: { type: 'string' },
    createdAt: { type: 'string' },
    startedAt: { type: 'string' },
    finishedAt: { type: 'string' },
    expiresAt: { type: 'string', description: 'When the job and its result are dropped' },
    error: { type: 'object', properties: { error: { type: 'string' }, message: { type: 'string' }, details: {} } },
    callback: { type: 'object', properties: { contactId: { type: 'string' }, state: { type: 'string', enum: ['pending', 'sent', 'failed'] }, attempts: { type: 'integer' }, outcome: { type: 'string' } } }
  }
} as const

function describeJob (job: Job): Record<string, unknown> {
  const { page: _page, tenant: _tenant, expiresAt, ...rest } = job
  return { ...rest, expiresAt: new Date(expiresAt).toISOString() }
}

export async function jobRoutes (app: FastifyInstance): Promise<void> {
  app.get<{ Params: { jobId: string } }>('/jobs/:jobId', {
    config: { access: 'tenant' },
    schema: {
      tags: ['actions'],
      summary: 'An asynchronous job: its state, and when it succeeded the first page exactly as a synchronous execute answers it',
      params: { type: 'object', properties: { jobId: { type: 'string', pattern: jobIdPattern.source } } },
      response: {
        200: {
          type: 'object',
          additionalProperties: true,
          description: 'status ok; job; and once succeeded the fields of an execute answer (rows, page, queryId, …)',
          properties: { status: { type: 'string', enum: ['ok'] }, job: jobSchema }
        },
        ...errorResponses(400, 401, 404)
      }
    }
  }, async (request, reply) => {
    const job = await app.jobs.get(request.params.jobId, request.tenant.name)
    const action = job ? app.actions.get(job.action) : undefined
    if (!job || !action) throw new JobNotFound(request.params.jobId)
    reply.header('x-job-state', job.state)
    if (job.state !== 'succeeded' || !job.page) {
      if (job.state === 'queued' || job.state === 'running') reply.header('retry-after', '1')
      return { status: 'ok', job: describeJob(job) }
    }
    const rendered = renderPage(action, { ...job.page, rows: RowTexts.of(job.page.rows) }, {}, app.cursors, app.config.responseMaxBytes)
    const answer = JSON.parse(rendered.body) as Record<string, unknown>
    return await reply
      .header('x-snowflake-query-id', job.page.queryId)
      .header('x-rows', String(rendered.returned))
      .header('x-result-complete', String(job.page.complete))
      .send({ ...answer, job: describeJob(job) })
  })
}
