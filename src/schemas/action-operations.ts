import type { Action } from '../actions/load.js'

type JsonObject = Record<string, unknown>

/** The generic operation, as @fastify/swagger writes it from the execute route's schema. */
const executePath = '/v1/actions/{id}/execute'

const actionOperationsTag = {
  name: 'loaded actions',
  description: 'One operation per action loaded from ACTIONS_DIR: the generic execute route with this action\'s variables and rows spelled out'
}

const isObject = (value: unknown): value is JsonObject => value !== null && typeof value === 'object' && !Array.isArray(value)

const child = (parent: unknown, key: string): JsonObject | undefined => {
  const value = isObject(parent) ? parent[key] : undefined
  return isObject(value) ? value : undefined
}

/** A value the input schema itself offers for one variable: its first example, its default, or its first allowed value. */
function offeredValue (schema: JsonObject): unknown {
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0]
  if ('default' in schema) return schema.default
  if ('const' in schema) return schema.const
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0]
  return undefined
}

/** The variables of the example request; variables the schema offers nothing for are left out. */
function exampleVariables (input: JsonObject): JsonObject {
  const whole = Array.isArray(input.examples) ? input.examples.find(isObject) : undefined
  if (whole) return structuredClone(whole)
  const variables: JsonObject = {}
  for (const [name, schema] of Object.entries(child(input, 'properties') ?? {})) {
    const value = isObject(schema) ? offeredValue(schema) : undefined
    if (value !== undefined) variables[name] = structuredClone(value)
  }
  return variables
}

/** The first action that accepts its own example variables: the generic operation's example. */
function exampleAction (actions: readonly Action[]): { action: Action, variables: JsonObject } | undefined {
  for (const action of actions) {
    const variables = exampleVariables(action.input)
    // A clone: validation fills defaults in place, and the example shows only what the schema offers.
    if (action.validateInput(structuredClone(variables))) return { action, variables }
  }
  return undefined
}

/**
 * The request body's examples for one action: the JSON body, and each form field (Swagger UI fills a form from
 * its fields' own examples, not the body's). With `input`, the variables' schema becomes the action's.
 */
function withExamples (operation: JsonObject, action: Action, variables: JsonObject, input?: JsonObject): void {
  const content = child(child(operation, 'requestBody'), 'content') ?? {}
  for (const [type, media] of Object.entries(content)) {
    const schema = structuredClone(child(media, 'schema'))
    const properties = child(schema, 'properties')
    if (!schema || !properties) continue
    if (input) {
      properties.variables = structuredClone(input)
      if (Array.isArray(input.required) && input.required.length > 0) schema.required = ['variables']
    }
    if (type === 'application/json') {
      content[type] = { schema, example: { variables: structuredClone(variables) } }
      continue
    }
    properties.variables = { ...child(properties, 'variables'), examples: [structuredClone(variables)] }
    // Swagger UI fills every object field of a form, and would make up a contact id to signal: callbacks are
    // for Studio scripts, documented with the JSON body.
    delete properties.callback
    if (child(properties, 'page')) properties.page = { ...child(properties, 'page'), examples: [{ size: action.page.defaultSize }] }
    content[type] = { schema }
  }
}

function actionOperation (generic: JsonObject, action: Action): JsonObject {
  // Cloned per action: shared objects would come out of the YAML document as anchors and aliases.
  const operation = structuredClone(generic)
  operation.tags = [actionOperationsTag.name]
  operation.summary = action.description || `Run ${action.id}`
  operation.description = `POST ${executePath} with id = ${action.id}; variables follow the action's input schema and rows its output schema.` +
    `\n\nStudio SNIPPET code that calls it: [GET /v1/actions/${action.id}/studio](/v1/actions/${action.id}/studio) (add ?async=true for the job form).`
  operation.operationId = `execute-${action.id}`
  if (Array.isArray(operation.parameters)) {
    operation.parameters = operation.parameters.filter((p) => !(isObject(p) && p.in === 'path' && p.name === 'id'))
  }

  withExamples(operation, action, exampleVariables(action.input), action.input)

  const answer = child(child(child(child(child(operation, 'responses'), '200'), 'content'), 'application/json'), 'schema')
  const answerProperties = child(answer, 'properties')
  if (answerProperties) {
    answerProperties.action = { type: 'string', enum: [action.id] }
    const rows = child(answerProperties, 'rows')
    if (rows) rows.items = structuredClone(action.output)
  }
  return operation
}

/**
 * Adds `POST /v1/actions/<id>/execute` for each action to a document built from the route schemas. The generic
 * operation stays, and stays the source of everything but the variables, the rows and the examples; its own
 * examples (the id, the body, each form field) become those of the first action that accepts them, so Try it
 * out answers 200 as it stands.
 */
export function withActionOperations<T extends { paths?: object, tags?: object[] }> (document: T, actions: Iterable<Action>): T {
  const paths = document.paths as Record<string, JsonObject | undefined> | undefined
  const generic = child(paths?.[executePath], 'post')
  if (!paths || !generic) return document
  const listed = [...actions]
  // A copy: the per-action operations are built from the generic one as it is, without an id example.
  const example = exampleAction(listed)
  const exampled = example ? structuredClone(generic) : undefined
  if (example && exampled) {
    if (Array.isArray(exampled.parameters)) {
      exampled.parameters = exampled.parameters.map((p) => isObject(p) && p.in === 'path' && p.name === 'id' ? { ...p, example: example.action.id } : p)
    }
    withExamples(exampled, example.action, example.variables)
  }
  let added = false
  for (const action of listed) {
    paths[`/v1/actions/${action.id}/execute`] = { post: actionOperation(generic, action) }
    added = true
  }
  if (exampled) (paths[executePath] as JsonObject).post = exampled
  if (added) document.tags = [...(document.tags ?? []), { ...actionOperationsTag }]
  return document
}
