/**
 * Schema failures told as sentences a Studio author can act on: the property at fault named, the shape
 * expected there, the closest declared name for a typo. Only names reach a message, never a value: names are
 * the schema's or the caller's keys, values may be sensitive.
 */

/** What ajv reports for one failure (Fastify's validation errors have the same fields). */
export interface SchemaError {
  keyword: string
  instancePath: string
  /** Always set by ajv; optional here so a message is never what fails an answer. */
  params?: Record<string, unknown>
  message?: string
}

export interface Problem {
  path: string
  message?: string
  params?: Record<string, unknown>
}

type Schema = Record<string, unknown>

const longestName = 40
const mostNames = 6

/** Each failure with its path (for a missing or unexpected property, the object that should or should not hold it). */
export function problemsOf (errors: readonly SchemaError[]): Problem[] {
  return errors.map((e) => ({
    path: e.instancePath || '/',
    message: e.message,
    ...(e.params && Object.keys(e.params).length > 0 ? { params: e.params } : {})
  }))
}

/** A name for a message: quoted, and cut short, since a caller's key can be as long as the body. */
export function quote (name: string): string {
  return `'${name.length > longestName ? `${name.slice(0, longestName)}…` : name}'`
}

function listed (names: readonly string[], format = quote): string {
  const shown = names.slice(0, mostNames).map(format).join(', ')
  return names.length > mostNames ? `${shown} and ${names.length - mostNames} more` : shown
}

function editDistance (a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
    previous = current
  }
  return previous[b.length] ?? 0
}

/** The name `name` was probably meant to be: the same but for case, else one or two edits away. */
export function closest (name: string, names: Iterable<string>): string | undefined {
  if (name.length > longestName * 2) return undefined
  let best: string | undefined
  let bestDistance = name.length < 5 ? 2 : 3
  for (const candidate of names) {
    if (candidate.toLowerCase() === name.toLowerCase()) return candidate
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase())
    if (distance < bestDistance) {
      best = candidate
      bestDistance = distance
    }
  }
  return best
}

/** JSON Pointer segments, unescaped. */
function segments (instancePath: string): string[] {
  return instancePath === '' ? [] : instancePath.slice(1).split('/').map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'))
}

function isSchema (value: unknown): value is Schema {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

/** The subschema that describes the value at `path`, when plain `properties` lead there. */
function schemaAt (schema: unknown, path: string[]): Schema | undefined {
  let at: unknown = schema
  for (const segment of path) {
    const properties = isSchema(at) ? at.properties : undefined
    at = isSchema(properties) ? properties[segment] : undefined
  }
  return isSchema(at) ? at : undefined
}

/** `{variables, page}`: the properties an object may hold. */
function shapeOf (schema: Schema | undefined): string | undefined {
  const properties = schema?.properties
  return isSchema(properties) && Object.keys(properties).length > 0 ? `{${Object.keys(properties).join(', ')}}` : undefined
}

function allowedValues (e: SchemaError): string {
  const allowed = e.params?.allowedValues
  return Array.isArray(allowed) ? `: ${listed(allowed.map(String), (v) => v)}` : ''
}

/** Failures of one kind at one place are told once: "unexpected properties 'a', 'b'". */
function grouped (errors: readonly SchemaError[], keyword: string, param: string): Map<string, string[]> {
  const groups = new Map<string, string[]>()
  for (const e of errors) {
    if (e.keyword !== keyword) continue
    const names = groups.get(e.instancePath) ?? []
    names.push(String(e.params?.[param]))
    groups.set(e.instancePath, names)
  }
  return groups
}

const properties = (names: string[]): string => `${names.length === 1 ? 'an unexpected property' : 'unexpected properties'} ${listed(names)}`

export type RequestPart = 'body' | 'headers' | 'params' | 'querystring'

/** "The body", "The body's page", "The header x-request-timeout-ms". */
function placeOf (part: RequestPart, path: string[]): string {
  const inner = path.map((s) => s.length > longestName ? `${s.slice(0, longestName)}…` : s).join('.')
  switch (part) {
    case 'body': return inner ? `The body's ${inner}` : 'The body'
    case 'headers': return inner ? `The header ${inner}` : 'The headers'
    case 'querystring': return inner ? `The query parameter ${inner}` : 'The query string'
    case 'params': return inner ? `The path parameter ${inner}` : 'The path'
  }
}

/**
 * One message for a request that fails its route's schema. `schema` is the route's schema for that part;
 * `absent` says the part was not sent at all (a POST without a body).
 */
export function describeRequest (part: RequestPart, errors: readonly SchemaError[], schema: unknown, absent: boolean): string {
  const bodyShape = shapeOf(schemaAt(schema, []))
  if (part === 'body' && absent && bodyShape) {
    return `The request has no body: the body is ${bodyShape}, as application/json or application/x-www-form-urlencoded`
  }
  const sentences: string[] = []
  for (const [instancePath, names] of grouped(errors, 'additionalProperties', 'additionalProperty')) {
    const path = segments(instancePath)
    const shape = shapeOf(schemaAt(schema, path))
    let sentence = `${placeOf(part, path)} has ${properties(names)}`
    if (shape) sentence += `: ${path.length === 0 ? `the ${part}` : path.join('.')} is ${shape}`
    const root = schemaAt(schema, [])?.properties
    if (part === 'body' && path.length === 0 && isSchema(root) && 'variables' in root) {
      sentence += `, with the action's variables inside variables, as in {"variables": {${listed(names, (n) => `${JSON.stringify(n.slice(0, longestName))}: …`)}}}`
    }
    sentences.push(sentence)
  }
  for (const e of errors) {
    if (e.keyword === 'additionalProperties') continue
    const place = placeOf(part, segments(e.instancePath))
    sentences.push(e.keyword === 'required'
      ? `${place} lacks the required property ${quote(String(e.params?.missingProperty))}`
      : `${place} ${e.message ?? 'is not valid'}${allowedValues(e)}`)
  }
  return [...new Set(sentences)].join('; ')
}

/**
 * One message for variables that fail an action's input schema. Unknown variables are named with the declared
 * name each was probably meant to be, and the names the action takes follow.
 */
export function describeVariables (errors: readonly SchemaError[], input: unknown): string {
  const declaredSchema = isSchema(input) ? input.properties : undefined
  const declared = isSchema(declaredSchema) ? Object.keys(declaredSchema) : []
  const variable = (path: string[]): string => quote(path.join('.'))
  const sentences: string[] = []
  let unknown = false
  for (const [instancePath, names] of grouped(errors, 'additionalProperties', 'additionalProperty')) {
    const path = segments(instancePath)
    if (path.length > 0) {
      sentences.push(`${variable(path)} has ${properties(names)}`)
      continue
    }
    unknown = true
    const named = listed(names, (name) => {
      const meant = closest(name, declared)
      return meant ? `${quote(name)} (did you mean ${quote(meant)}?)` : quote(name)
    })
    sentences.push(`${names.length === 1 ? 'unknown variable' : 'unknown variables'} ${named}`)
  }
  for (const e of errors) {
    if (e.keyword === 'additionalProperties') continue
    const path = segments(e.instancePath)
    if (e.keyword === 'required') sentences.push(`${variable([...path, String(e.params?.missingProperty)])} is required`)
    else sentences.push(`${path.length > 0 ? variable(path) : 'the variables'} ${e.message ?? 'are not valid'}${allowedValues(e)}`)
  }
  let message = [...new Set(sentences)].join('; ')
  if (unknown && declared.length > 0) message += `. The action takes ${listed(declared, (name) => name)}`
  return message
}
