export type JsonSchema = Record<string, unknown>

/** An action file as written, after defaults. */
export interface ActionDefinition {
  id: string
  version: string
  description: string
  sql: string
  input: JsonSchema
  output: JsonSchema
  cache: {
    ttlSeconds: number
    /** After the TTL, the stale result is still served this long while one refresh runs in the background. */
    staleWhileRevalidateSeconds: number
    /** Whether `Cache-Control: no-cache` may force a fresh run. */
    allowRefresh: boolean
  }
  timeoutMs: number
  maxRows: number
  page: { defaultSize: number, maxSize: number }
  role?: string
  warehouse?: string
  sensitive: string[]
  /** Asynchronous runs (202 + job): their own, longer timeout, and the row column whose first value a signal carries. */
  async: {
    timeoutMs: number
    signalValue?: string
  }
}

const jsonSchemaObject = {
  type: 'object',
  required: ['type'],
  properties: { type: { const: 'object' } }
} as const

/** What an action file may say; unknown keys are refused so a typo cannot pass silently. */
export const actionFileSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'version', 'sql', 'input', 'output'],
  properties: {
    id: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,63}$' },
    version: { type: 'string', minLength: 1 },
    description: { type: 'string', default: '' },
    sql: { type: 'string', minLength: 1 },
    input: { ...jsonSchemaObject, additionalProperties: true },
    output: { ...jsonSchemaObject, additionalProperties: true },
    cache: {
      type: 'object',
      additionalProperties: false,
      required: [],
      properties: {
        ttlSeconds: { type: 'integer', minimum: 0, default: 0 },
        staleWhileRevalidateSeconds: { type: 'integer', minimum: 0, default: 0 },
        allowRefresh: { type: 'boolean', default: true }
      },
      default: {}
    },
    timeoutMs: { type: 'integer', minimum: 100, maximum: 90000, default: 10000 },
    maxRows: { type: 'integer', minimum: 1, default: 1000 },
    page: {
      type: 'object',
      additionalProperties: false,
      required: [],
      properties: {
        defaultSize: { type: 'integer', minimum: 1, default: 50 },
        maxSize: { type: 'integer', minimum: 1, default: 500 }
      },
      default: {}
    },
    role: { type: 'string', minLength: 1, nullable: true },
    warehouse: { type: 'string', minLength: 1, nullable: true },
    sensitive: { type: 'array', items: { type: 'string' }, default: [] },
    async: {
      type: 'object',
      additionalProperties: false,
      required: [],
      properties: {
        // Up to Snowflake's own default STATEMENT_TIMEOUT_IN_SECONDS (two days): nobody waits on the line for a job.
        timeoutMs: { type: 'integer', minimum: 100, maximum: 172_800_000, default: 300_000 },
        signalValue: { type: 'string', minLength: 1 }
      },
      default: {}
    }
  }
}
