export const actionIdParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', description: 'Action id, e.g. customer-lookup' } }
} as const

export const timeoutHeaderSchema = {
  type: 'object',
  properties: {
    'x-request-timeout-ms': { type: 'integer', minimum: 1, description: 'Lowers the action\'s deadline to what the caller will wait' }
  }
} as const

export const actionSchema = {
  $id: 'Action',
  type: 'object',
  required: ['id', 'version', 'description', 'input', 'output'],
  properties: {
    id: { type: 'string' },
    version: { type: 'string' },
    description: { type: 'string' },
    input: { type: 'object', additionalProperties: true, description: 'JSON Schema of the variables' },
    output: { type: 'object', additionalProperties: true, description: 'JSON Schema of one row' },
    cache: { type: 'object', properties: { ttlSeconds: { type: 'integer' } } },
    timeoutMs: { type: 'integer' },
    maxRows: { type: 'integer' },
    page: { type: 'object', properties: { defaultSize: { type: 'integer' }, maxSize: { type: 'integer' } } },
    async: { type: 'object', properties: { timeoutMs: { type: 'integer' }, signalValue: { type: 'string' } } }
  }
} as const

export const executeBodySchema = {
  type: 'object',
  additionalProperties: false,
  // Swagger UI's Try it out starts from the examples; without them it invents a page with "cursor": "string".
  examples: [{ variables: {} }],
  properties: {
    variables: { type: 'object', additionalProperties: true, default: {}, description: 'Flow variables; strings are coerced to the declared types' },
    page: {
      type: 'object',
      additionalProperties: false,
      description: 'Leave it out for the first page; then {"cursor": nextCursor} for the next',
      examples: [{}],
      properties: {
        size: { type: 'integer', minimum: 1, description: 'Rows per page, up to the action\'s page.maxSize' },
        cursor: { type: 'string', minLength: 1, description: 'nextCursor from the previous page' }
      }
    },
    mode: { type: 'string', enum: ['sync', 'async'], description: 'async: answer 202 with a job at once (as the header Prefer: respond-async does)' },
    callback: {
      type: 'object',
      additionalProperties: false,
      required: ['contactId'],
      description: 'With mode async: signal this contact\'s script (ONSIGNAL) when the job has finished',
      properties: { contactId: { type: 'string', pattern: '^[0-9]{1,20}$' } }
    }
  }
} as const

export const acceptedResponseSchema = {
  type: 'object',
  description: 'The job was accepted: fetch statusUrl, or wait for the signal to the contact named in callback',
  properties: {
    status: { type: 'string', enum: ['accepted'] },
    jobId: { type: 'string' },
    statusUrl: { type: 'string' }
  }
} as const

export const executeResponseSchema = {
  type: 'object',
  required: ['status', 'action', 'version', 'rows', 'page', 'queryId', 'source', 'profile'],
  properties: {
    status: { type: 'string', enum: ['ok'] },
    action: { type: 'string' },
    version: { type: 'string' },
    rows: { type: 'array', items: { type: 'object', additionalProperties: true } },
    page: {
      type: 'object',
      required: ['size', 'returned', 'hasMore', 'nextCursor'],
      properties: {
        size: { type: 'integer' },
        offset: { type: 'integer' },
        returned: { type: 'integer' },
        hasMore: { type: 'boolean' },
        nextCursor: { type: ['string', 'null'] },
        complete: { type: 'boolean', description: 'False when the action\'s maxRows cut the result: Snowflake had more rows than any page shows' },
        rowLimit: { type: 'integer', description: 'With complete false: the maxRows that cut the result' }
      }
    },
    truncated: { type: 'boolean', description: 'The page was cut to keep the answer under the response size limit' },
    queryId: { type: 'string' },
    source: { type: 'string', enum: ['warehouse', 'cache'] },
    profile: { type: 'object', additionalProperties: { type: 'number' }, description: 'Milliseconds per phase' }
  }
} as const

export const streamBodySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    variables: executeBodySchema.properties.variables,
    all: { type: 'boolean', default: false, description: 'Stream every row, past the action\'s maxRows' }
  }
} as const
