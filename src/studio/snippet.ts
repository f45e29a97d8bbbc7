import type { Action } from '../actions/load.js'

/**
 * NICE CXone Studio SNIPPET code that calls one action through the gateway, built from the action file alone.
 *
 * What lands in the text from the action file: its id (a URL-safe pattern), property names only where they are
 * plain identifiers (Studio variable and member names), numbers, and free text (descriptions, examples,
 * defaults, enums) only inside `//` comments with line breaks removed. Nothing else from the file is code.
 */
export interface SnippetOptions {
  /** The gateway's public base URL, scheme and host, no trailing slash; only URL-safe characters. */
  baseUrl: string
  /** Where the base URL came from, said in a comment. */
  baseUrlFrom: string
  /** The asynchronous form: 202 and a job, then ONSIGNAL and GET /v1/jobs/{jobId}. */
  async: boolean
}

type Lines = string[]
type JsonObject = Record<string, unknown>

/** NICE's default for a snippet proxy call; longer calls hold the contact's script. */
const maxProxySeconds = 10
/** The gateway's deadline ends this much before the proxy gives up, so the script reads a 504 rather than -1. */
const deadlineMarginMs = 500
/** Pages one run of the snippet fetches at most: each is one call, and snippet loops cost the whole tenant. */
const maxPagesPerRun = 4
/** Accepting a job or reading a finished one is quick; the proxy need not wait as long as for a statement. */
const quickProxySeconds = 5

const identifier = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/

const isObject = (value: unknown): value is JsonObject => value !== null && typeof value === 'object' && !Array.isArray(value)

/** Free text made safe for the rest of a `//` line: no line breaks or control characters, bounded. */
export function commentText (value: unknown, max = 160): string {
  const text = (typeof value === 'string' ? value : JSON.stringify(value) ?? String(value))
    .replace(/[\p{Cc}\u2028\u2029]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}

const indent = (lines: Lines): Lines => lines.map((line) => `  ${line}`)
const block = (head: string, body: Lines): Lines => [head, '{', ...indent(body), '}']

interface Variable { name: string, required: boolean, schema: JsonObject }

function variablesOf (action: Action): Variable[] {
  const properties = isObject(action.input.properties) ? action.input.properties : {}
  const required = new Set(Array.isArray(action.input.required) ? action.input.required : [])
  return Object.entries(properties).map(([name, schema]) => ({ name, required: required.has(name), schema: isObject(schema) ? schema : {} }))
}

function describeVariable ({ name, required, schema }: Variable): string {
  const parts = [`${name} (${typeof schema.type === 'string' ? schema.type : 'any'}, ${required ? 'required' : 'optional'})`]
  if (Array.isArray(schema.enum)) parts.push(`one of ${schema.enum.map((v) => JSON.stringify(v)).join(' | ')}`)
  if ('default' in schema) parts.push(`default ${JSON.stringify(schema.default)}`)
  if (Array.isArray(schema.examples) && schema.examples.length > 0) parts.push(`e.g. ${JSON.stringify(schema.examples[0])}`)
  if (typeof schema.description === 'string') parts.push(schema.description)
  return `//   ${commentText(parts.join('; '), 200)}`
}

/** The proxy's wait and the deadline the gateway is asked to keep, from the action's timeout. */
export function timing (action: Action): { proxySeconds: number, deadlineMs?: number } {
  const proxySeconds = Math.max(1, Math.min(maxProxySeconds, Math.ceil(action.timeoutMs / 1000)))
  const deadlineMs = Math.min(action.timeoutMs, proxySeconds * 1000 - deadlineMarginMs)
  return deadlineMs < action.timeoutMs ? { proxySeconds, deadlineMs } : { proxySeconds }
}

function proxyLines (seconds: number, why: string, deadlineMs?: number): Lines {
  return [
    'ASSIGN gwProxy = GetRESTProxy()',
    'gwProxy.ContentType = "application/json"',
    '// API_KEY: a script variable holding the tenant\'s key, set from a secured source; never paste the key into the script.',
    'gwProxy.AddHeader("Authorization", "Bearer {API_KEY}")',
    `// ${why}`,
    `gwProxy.ProxyTimeoutSeconds = ${seconds}`,
    ...(deadlineMs === undefined ? [] : [`gwProxy.AddHeader("X-Request-Timeout-Ms", "${deadlineMs}")`])
  ]
}

/** The dynamic object sent as the body; `.asjson()` makes every value a string, which the gateway coerces. */
function bodyLines (action: Action, body: string): Lines {
  const lines = [`DYNAMIC ${body}`]
  for (const variable of variablesOf(action)) {
    if (!identifier.test(variable.name)) {
      lines.push(`// ${commentText(variable.name, 64)}: not a name a Studio variable can have; this snippet cannot send it.`)
      continue
    }
    const assign = `ASSIGN ${body}.variables.${variable.name} = "{${variable.name}}"`
    // An optional variable left empty is left out, so the gateway applies the schema's default.
    lines.push(...(variable.required ? [assign] : block(`IF ${variable.name} != ""`, [assign])))
  }
  lines.push(`ASSIGN ${body}.page.size = ${action.page.defaultSize}`)
  return lines
}

/** Sets gwOutcome (and gwRetrySeconds) from gwStatus and the error code in gwError, after `message` sets gwMessage. */
const errorLines = (message = 'ASSIGN gwMessage = "{gwResp.message}"'): Lines => [
  message,
  ...block('SELECT', [
    ...block('CASE gwStatus = -1', [
      '// The proxy itself failed: no answer within ProxyTimeoutSeconds, or no connection.',
      'ASSIGN gwOutcome = "ERROR"'
    ]),
    'CASE gwError = "VARIABLES_INVALID"',
    ...block('CASE gwError = "VARIABLE_REJECTED"', [
      '// The variables do not fit the action (gwMessage says which): ask the caller again; a retry will not help.',
      'ASSIGN gwOutcome = "INVALID"'
    ]),
    'CASE gwError = "RATE_LIMITED"',
    'CASE gwError = "OVERLOADED"',
    'CASE gwError = "WAREHOUSE_UNAVAILABLE"',
    ...block('CASE gwError = "SHUTTING_DOWN"', [
      '// Passing: WAIT gwRetrySeconds in the script, then make the call again (twice at most).',
      'ASSIGN gwOutcome = "RETRY"',
      'ASSIGN gwRetrySeconds = 5'
    ]),
    ...block('CASE gwError = "DEADLINE_EXCEEDED"', [
      '// The statement ran past its deadline and was cancelled: the asynchronous form (?async=true) waits longer.',
      'ASSIGN gwOutcome = "TIMEOUT"'
    ]),
    ...block('DEFAULT', [
      '// Anything else (key, access, unknown action, a gateway or Snowflake fault): gwStatus, gwError and gwMessage say which.',
      'ASSIGN gwOutcome = "ERROR"'
    ])
  ])
]

function rowLines (action: Action): Lines {
  const properties = isObject(action.output.properties) ? Object.keys(action.output.properties) : []
  const columns = properties.filter((name) => identifier.test(name))
  const copy = columns.length > 0
    ? columns.map((column) => `ASSIGN gwRows[gwCount].${column} = "{gwResp.rows[gwR].${column}}"`)
    : ['// The output schema names no columns: read gwResp.rows[gwR].<COLUMN> here.']
  return [
    'ASSIGN gwReturned = "{gwResp.page.returned}"',
    ...block('IF gwReturned > 0', block('FOR gwR = 1 TO gwReturned', ['ASSIGN gwCount = gwCount + 1', ...copy]))
  ]
}

/** The loop over pages: `fetch` gets page gwPageNo into gwResp; the loop ends when hasMore is false. */
function pageLoop (action: Action, fetch: Lines): Lines {
  const pages = Math.max(1, Math.min(maxPagesPerRun, Math.ceil(action.maxRows / action.page.defaultSize)))
  return [
    'ASSIGN gwCount = 0',
    'ASSIGN gwCursor = ""',
    'ASSIGN gwHasMore = "false"',
    'ASSIGN gwComplete = "true"',
    `// Pages fetched at most per run, ${action.page.defaultSize} rows each: every page is one call; raise with care.`,
    `ASSIGN gwMaxPages = ${pages}`,
    'DYNAMIC gwRows',
    ...block('FOR gwPageNo = 1 TO gwMaxPages', [
      ...fetch,
      'ASSIGN gwStatus = "{gwProxy.StatusCode}"',
      ...block('IF gwStatus != 200', ['ASSIGN gwError = "{gwResp.error}"', ...errorLines(), 'BREAK']),
      ...rowLines(action),
      'ASSIGN gwHasMore = "{gwResp.page.hasMore}"',
      '// page.complete false: the action\'s maxRows cut the result; the last page then means "no more pages", not "no more rows".',
      'ASSIGN gwComplete = "{gwResp.page.complete}"',
      'ASSIGN gwCursor = "{gwResp.page.nextCursor}"',
      ...block('IF gwHasMore = "false" | gwHasMore = "False" | gwCursor = ""', ['ASSIGN gwHasMore = "false"', 'BREAK'])
    ])
  ]
}

function resultLines (action: Action): Lines {
  const columns = isObject(action.output.properties) ? Object.keys(action.output.properties).filter((name) => identifier.test(name)) : []
  return [
    '// Afterwards, branch on gwOutcome: OK | INVALID | RETRY | TIMEOUT | ERROR (gwStatus, gwError, gwMessage say why).',
    `// OK: gwRows[1] … gwRows[gwCount]${columns.length > 0 ? `, each with ${columns.join(', ')}` : ''}.`,
    '// gwHasMore "true": there are more pages than gwMaxPages; run the loop again with page.cursor = gwCursor.',
    `// gwComplete "false": maxRows (${action.maxRows}) cut the result; Snowflake had more rows than any page shows.`
  ]
}

function headerLines (action: Action, options: SnippetOptions, part: string): Lines {
  const lines = [
    `// cxone-snowflake-gateway: action ${action.id} (version ${commentText(action.version, 40)}), ${part}`,
    ...(action.description ? [`// ${commentText(action.description, 200)}`] : []),
    '// NICE prefers the REST API action for JSON calls; this SNIPPET is for scripts that need the loop in code.',
    '// gwProxy.StatusCode is the HTTP status here (-1: no answer); __httpstatuscode belongs to the REST API action.',
    `// Gateway base URL from ${commentText(options.baseUrlFrom, 120)}; change gwBase if Studio reaches the gateway elsewhere.`,
    '// Set these Studio variables before this snippet runs:'
  ]
  const variables = variablesOf(action)
  lines.push(...(variables.length > 0 ? variables.map(describeVariable) : ['//   (none: this action takes no variables)']))
  return lines
}

function syncSnippet (action: Action, options: SnippetOptions): Lines {
  const { proxySeconds, deadlineMs } = timing(action)
  const why = `Snippet calls wait 10 s by default and NICE advises 2 s or less; this action may take ${action.timeoutMs} ms` +
    (action.timeoutMs > maxProxySeconds * 1000 ? ', more than a snippet should wait: prefer ?async=true.' : '.')
  return [
    ...headerLines(action, options, 'synchronous form (?async=true gives the asynchronous one)'),
    '',
    `ASSIGN gwBase = "${options.baseUrl}"`,
    `ASSIGN gwUrl = "{gwBase}/v1/actions/${action.id}/execute"`,
    ...proxyLines(proxySeconds, why, deadlineMs),
    '',
    ...bodyLines(action, 'gwBody'),
    'ASSIGN gwOutcome = "OK"',
    'ASSIGN gwError = ""',
    ...pageLoop(action, [
      // Variables go with the cursor too: should the result be gone, the gateway runs the statement again.
      ...block('IF gwPageNo > 1', ['ASSIGN gwBody.page.cursor = gwCursor']),
      'ASSIGN gwPayload = gwBody.asjson()',
      'ASSIGN gwResp = gwProxy.MakeRestRequest(gwUrl, gwPayload, 0, "POST")'
    ]),
    '',
    ...resultLines(action)
  ]
}

function asyncSnippet (action: Action, options: SnippetOptions): Lines {
  const { proxySeconds, deadlineMs } = timing(action)
  const signalValue = action.async.signalValue
  const signalValueLine = signalValue !== undefined && identifier.test(signalValue)
    ? `ASSIGN gwSignalValue = "{SP4}"  // the first row's ${signalValue}`
    : signalValue !== undefined
      ? `ASSIGN gwSignalValue = "{SP4}"  // the first row's value of async.signalValue (${commentText(signalValue, 64)})`
      : 'ASSIGN gwSignalValue = "{SP4}"  // empty: this action names no async.signalValue'
  return [
    ...headerLines(action, options, 'asynchronous form, part 1 of 2: start the job'),
    '// Part 1 goes where the script asks; part 2 goes after the script\'s one ONSIGNAL event.',
    '',
    `ASSIGN gwBase = "${options.baseUrl}"`,
    `ASSIGN gwUrl = "{gwBase}/v1/actions/${action.id}/execute"`,
    ...proxyLines(quickProxySeconds, `The gateway answers 202 at once; the job runs on for up to async.timeoutMs (${action.async.timeoutMs} ms).`),
    '',
    ...bodyLines(action, 'gwBody'),
    'ASSIGN gwBody.mode = "async"',
    '// CONTACTID: this contact (a system variable); the gateway signals it once the job has finished.',
    'ASSIGN gwBody.callback.contactId = "{CONTACTID}"',
    'ASSIGN gwOutcome = "ACCEPTED"',
    'ASSIGN gwError = ""',
    'ASSIGN gwJobId = ""',
    'ASSIGN gwPayload = gwBody.asjson()',
    'ASSIGN gwResp = gwProxy.MakeRestRequest(gwUrl, gwPayload, 0, "POST")',
    'ASSIGN gwStatus = "{gwProxy.StatusCode}"',
    // 202 {status: "accepted", jobId, statusUrl}
    ...block('IF gwStatus = 202', ['ASSIGN gwJobId = "{gwResp.jobId}"']),
    ...block('IF gwStatus != 202', ['ASSIGN gwError = "{gwResp.error}"', ...errorLines()]),
    '// gwOutcome ACCEPTED: keep the contact company (music, a WAIT action) until ONSIGNAL; otherwise as below.',
    '// INVALID | RETRY | TIMEOUT | ERROR, with gwStatus, gwError and gwMessage.',
    '',
    `// ---- part 2 of 2: a SNIPPET action right after the ONSIGNAL event (action ${action.id}) ----`,
    '// The gateway\'s signal: SP1 job id, SP2 state (succeeded | failed), SP3 row count, SP4 the first row\'s',
    '// async.signalValue column, SP5 the error code when failed. The rows come from GET /v1/jobs/{jobId}.',
    'ASSIGN gwSignalJobId = "{SP1}"',
    'ASSIGN gwJobState = "{SP2}"',
    'ASSIGN gwJobRows = "{SP3}"',
    signalValueLine,
    'ASSIGN gwError = "{SP5}"',
    'ASSIGN gwStatus = 0',
    'ASSIGN gwOutcome = "OK"',
    `ASSIGN gwBase = "${options.baseUrl}"`,
    `ASSIGN gwUrl = "{gwBase}/v1/actions/${action.id}/execute"`,
    'ASSIGN gwJobUrl = "{gwBase}/v1/jobs/{gwJobId}"',
    ...block('SELECT', [
      ...block('CASE gwSignalJobId != gwJobId', [
        '// A signal for another job, or from elsewhere: not this one.',
        'ASSIGN gwOutcome = "IGNORED"'
      ]),
      ...block('CASE gwJobState = "failed"', [
        '// The job failed with the code the synchronous call would have answered; GET gwJobUrl has its message.',
        ...errorLines('ASSIGN gwMessage = "job {gwJobId} failed: {gwError}"')
      ]),
      ...block('DEFAULT', [
        '// gwSignalValue may be all the script needs; else the rows: the job\'s first page, then the next by cursor.',
        ...proxyLines(proxySeconds, 'A finished job\'s pages are read from the gateway\'s store and cache: no long wait.', deadlineMs),
        ...bodyLines(action, 'gwPageBody'),
        ...pageLoop(action, [
          ...block('IF gwPageNo = 1', ['ASSIGN gwResp = gwProxy.MakeRestRequest(gwJobUrl, "", 0, "GET")']),
          ...block('IF gwPageNo > 1', [
            'ASSIGN gwPageBody.page.cursor = gwCursor',
            'ASSIGN gwPayload = gwPageBody.asjson()',
            'ASSIGN gwResp = gwProxy.MakeRestRequest(gwUrl, gwPayload, 0, "POST")'
          ])
        ])
      ])
    ]),
    '',
    '// Part 2 sets gwOutcome IGNORED for a signal that is not this job\'s; otherwise as for a synchronous call:',
    ...resultLines(action)
  ]
}

/** The snippet text for one action: CRLF-free lines, ending with a newline. */
export function studioSnippet (action: Action, options: SnippetOptions): string {
  return (options.async ? asyncSnippet(action, options) : syncSnippet(action, options)).join('\n') + '\n'
}
