import { Readable } from 'node:stream'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Action, Variables } from '../actions/load.js'
import { targetOf } from '../execution/action-request.js'
import { statementOf } from '../execution/binds.js'
import { checkRows, checkVariables } from '../execution/checks.js'
import { toGatewayError } from '../execution/warehouse-error.js'
import { actionIdParams, streamBodySchema, timeoutHeaderSchema } from '../schemas/action.js'
import { errorResponses } from '../schemas/error.js'
import type { Row } from '../warehouse/rows.js'
import { beginActionCall } from './action-call.js'

interface StreamRequest {
  Params: { id: string }
  Body: { variables?: Variables, all?: boolean }
  Headers: { 'x-request-timeout-ms'?: number }
}

const batchSize = 1000

/** Rows as NDJSON, one batch of lines at a time, each batch checked against the output schema first. */
async function * ndjson (action: Action, batches: AsyncGenerator<Row[]>): AsyncGenerator<string> {
  let index = 0
  for await (const batch of batches) {
    checkRows(action, batch, index)
    index += batch.length
    let text = ''
    for (const row of batch) text += JSON.stringify(row) + '\n'
    yield text
  }
}

function lines (chunk: Buffer): number {
  let count = 0
  for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) count++
  return count
}

/**
 * Fastify writes the request line (onResponse) only for a response that finished, so a reader that hangs
 * up part-way would leave none: this is that request's one line, saying so and how many rows it was sent.
 */
function logAborted (request: FastifyRequest, reply: FastifyReply, rows: number, rowsSent: number): void {
  request.log.info({
    method: request.method,
    route: request.routeOptions.url,
    tenant: request.tenant.name,
    keyId: request.keyId,
    action: (request.params as { id: string }).id,
    status: reply.statusCode,
    cache: reply.getHeader('x-cache'),
    queryId: reply.getHeader('x-snowflake-query-id'),
    rows: String(rows),
    aborted: true,
    rowsSent,
    durationMs: Math.round(reply.elapsedTime * 100) / 100
  }, 'request')
}

export async function streamRoutes (app: FastifyInstance): Promise<void> {
  app.post<StreamRequest>('/actions/:id/stream', {
    config: { access: 'action', rateLimit: {} },
    schema: {
      tags: ['actions'],
      summary: 'Run an action and stream all its rows as NDJSON, for bulk consumers',
      description: 'The deadline covers the statement until Snowflake answers; the rows then stream for as long as the reader keeps up. ' +
        'A failure after the first row ends the response without its final chunk, so a partial stream never looks complete.',
      consumes: ['application/json', 'application/x-www-form-urlencoded'],
      params: actionIdParams,
      headers: timeoutHeaderSchema,
      body: streamBodySchema,
      produces: ['application/x-ndjson'],
      response: { 200: { description: 'One JSON row per line', type: 'string' }, ...errorResponses(400, 401, 403, 404, 413, 415, 422, 429, 502, 503, 504) }
    }
  }, async (request, reply) => {
    const { action, variables, call, timings } = beginActionCall(request, reply)
    checkVariables(action, variables)
    let opened
    try {
      opened = await app.warehouse.open(
        statementOf(action, variables),
        { tenant: request.tenant.name, target: targetOf(action), deadline: call.at, signal: call.signal, timings }
      )
    } catch (error) {
      call.dispose()
      throw toGatewayError(error, call.budgetMs)
    }
    // Snowflake has answered: the rows stream for as long as the reader keeps up, until it hangs up or a shutdown.
    call.endDeadline()
    const { statement, done } = opened
    const end = request.body?.all === true ? statement.totalRows : Math.min(statement.totalRows, action.maxRows)
    // Known before the first row: whether these rows are all Snowflake has. The trailer repeats it after the
    // last row, so a reader that gets it knows the stream also arrived whole.
    const complete = String(end === statement.totalRows)
    const body = Readable.from(ndjson(action, statement.batches(0, end, batchSize, call.signal)), { objectMode: false })
    // Rows handed to the response before it closed; counted from the pipe on, so no chunk passes uncounted.
    let rowsSent = 0
    let failed = false
    let clientGone = false
    reply.raw.once('pipe', () => body.on('data', (chunk: Buffer) => { if (!reply.raw.destroyed) rowsSent += lines(chunk) }))
    reply.raw.once('close', () => { clientGone = !failed && !reply.raw.writableEnded })
    body.once('close', () => {
      call.dispose()
      done()
      if (clientGone) logAborted(request, reply, end, rowsSent)
    })
    body.once('error', (err) => {
      if (clientGone) return
      failed = true
      request.log.error({ err: request.redaction ? request.redaction.value(err) : err, queryId: statement.queryId }, 'the NDJSON stream failed part-way; the response was cut')
    })
    return await reply
      .header('server-timing', timings.header())
      .header('x-snowflake-query-id', statement.queryId)
      .header('x-rows', String(end))
      .header('x-cache', 'BYPASS')
      .header('x-result-complete', complete)
      .trailer('x-result-complete', (_reply, _payload, send) => { send(null, complete) })
      .type('application/x-ndjson')
      .send(body)
  })
}
