import { createHash } from 'node:crypto'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Ajv, type ValidateFunction } from 'ajv'
import addFormats from 'ajv-formats'
import { fastDateTime } from './date-time-format.js'
import { parse as parseYaml } from 'yaml'
import { actionFileSchema, type ActionDefinition } from './definition.js'
import { toPositional, type PositionalSql } from './named-parameters.js'

export type Variables = Record<string, unknown>
export type Row = Record<string, unknown>

export interface Action extends ActionDefinition {
  file: string
  statement: PositionalSql
  /** Coerces Studio's string variables to the declared types and fills defaults, in place. */
  validateInput: ValidateFunction<Variables>
  /** Strict: rows come from the warehouse as they are, nothing coerced or defaulted. */
  validateRow: ValidateFunction<Row>
  /** Changes whenever anything that shapes the result changes, so stale-shaped results are never reused. */
  definitionHash: string
}

export class ActionFileError extends Error {
  constructor (readonly file: string, problem: string) {
    super(`${file}: ${problem}`)
    this.name = 'ActionFileError'
  }
}

function newAjv (options: { coerce: boolean }): Ajv {
  const ajv = new Ajv({
    allErrors: true,
    strict: false,
    coerceTypes: options.coerce,
    useDefaults: options.coerce,
    removeAdditional: false
  })
  addFormats.default(ajv)
  fastDateTime(ajv)
  return ajv
}

const fileAjv = new Ajv({ allErrors: true, useDefaults: true, coerceTypes: false, strict: false })
const validateFile = fileAjv.compile<ActionDefinition>(actionFileSchema)

function describe (errors: ValidateFunction['errors']): string {
  return (errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}${
    e.params.additionalProperty ? ` ('${String(e.params.additionalProperty)}')` : ''}`).join('; ')
}

function compileAction (file: string, raw: unknown, ajv = { input: newAjv({ coerce: true }), row: newAjv({ coerce: false }) }): Action {
  if (raw !== null && typeof raw === 'object' && typeof (raw as { version?: unknown }).version === 'number') {
    (raw as { version: unknown }).version = String((raw as { version: number }).version)
  }
  if (!validateFile(raw)) throw new ActionFileError(file, describe(validateFile.errors))
  const definition = raw
  const statement = toPositional(definition.sql)
  const declared = new Set(Object.keys((definition.input.properties ?? {}) as object))
  for (const name of new Set(statement.order)) {
    if (!declared.has(name)) throw new ActionFileError(file, `sql uses :${name}, which input.properties does not declare`)
  }
  for (const name of definition.sensitive) {
    if (!declared.has(name)) throw new ActionFileError(file, `sensitive names '${name}', which input.properties does not declare`)
  }
  const signalValue = definition.async.signalValue
  if (signalValue !== undefined && !Object.keys((definition.output.properties ?? {}) as object).includes(signalValue)) {
    throw new ActionFileError(file, `async.signalValue names '${signalValue}', which output.properties does not declare`)
  }
  if (definition.page.defaultSize > definition.page.maxSize) {
    throw new ActionFileError(file, 'page.defaultSize must not exceed page.maxSize')
  }
  let validateInput: ValidateFunction<Variables>
  let validateRow: ValidateFunction<Row>
  try {
    validateInput = ajv.input.compile<Variables>(definition.input)
  } catch (err) {
    throw new ActionFileError(file, `input is not a valid JSON Schema: ${(err as Error).message}`)
  }
  try {
    validateRow = ajv.row.compile<Row>(definition.output)
  } catch (err) {
    throw new ActionFileError(file, `output is not a valid JSON Schema: ${(err as Error).message}`)
  }
  checkExamples(file, definition.input, validateInput)
  const definitionHash = createHash('sha256').update(JSON.stringify([
    definition.version, definition.sql, definition.input, definition.output, definition.maxRows, definition.role, definition.warehouse
  ])).digest('base64url').slice(0, 16)
  return { ...definition, file, statement, validateInput, validateRow, definitionHash }
}

/**
 * The schema's own examples must be ones it accepts, as Studio would send them: the whole-object `examples` of
 * the input, and each variable's `examples`. The docs offer them as requests to try.
 */
function checkExamples (file: string, input: ActionDefinition['input'], validateInput: ValidateFunction<Variables>): void {
  const wholes = Array.isArray(input.examples) ? input.examples as unknown[] : []
  wholes.forEach((example, index) => {
    // A clone: validation coerces and fills defaults in place.
    if (validateInput(structuredClone(example))) return
    throw new ActionFileError(file, `input.examples[${index}] is refused by the input schema: ${describe(validateInput.errors)}`)
  })
  for (const [name, schema] of Object.entries((input.properties ?? {}) as Record<string, { examples?: unknown }>)) {
    const examples = Array.isArray(schema?.examples) ? schema.examples : []
    examples.forEach((example, index) => {
      // The variable alone: only what the schema says of it counts, not the other required variables.
      validateInput({ [name]: structuredClone(example) })
      const own = (validateInput.errors ?? []).filter((e) => e.instancePath === `/${name}` || e.instancePath.startsWith(`/${name}/`))
      if (own.length > 0) throw new ActionFileError(file, `input.properties.${name}.examples[${index}] is refused by its schema: ${describe(own)}`)
    })
  }
}

export interface ActionsCheck {
  /** The actions of every good file, by id. */
  actions: Map<string, Action>
  /** Every bad file's problem, in file order; the start stops at the first. */
  problems: ActionFileError[]
}

/** Reads and checks every `*.yaml`/`*.yml` file of a folder, going on past bad files so all are reported. */
export async function checkActions (dir: string): Promise<ActionsCheck> {
  let names: string[]
  try {
    names = (await readdir(dir)).filter((name) => /\.ya?ml$/.test(name)).sort()
  } catch (err) {
    return { actions: new Map(), problems: [new ActionFileError(dir, `cannot read the actions folder: ${(err as Error).message}`)] }
  }
  const ajv = { input: newAjv({ coerce: true }), row: newAjv({ coerce: false }) }
  const actions = new Map<string, Action>()
  const problems: ActionFileError[] = []
  for (const name of names) {
    const file = join(dir, name)
    try {
      const action = compileAction(file, await readYaml(file), ajv)
      const twin = actions.get(action.id)
      if (twin) throw new ActionFileError(file, `id '${action.id}' is already defined by ${twin.file}`)
      actions.set(action.id, action)
    } catch (err) {
      if (!(err instanceof ActionFileError)) throw err
      problems.push(err)
    }
  }
  return { actions, problems }
}

async function readYaml (file: string): Promise<unknown> {
  const text = await readFile(file, 'utf8').catch((err: unknown) => {
    throw new ActionFileError(file, `cannot read the file: ${(err as Error).message}`)
  })
  try {
    return parseYaml(text)
  } catch (err) {
    throw new ActionFileError(file, `not valid YAML: ${(err as Error).message}`)
  }
}

/** Loads every action file of a folder; the first bad file stops the start with its name and problem. */
export async function loadActions (dir: string): Promise<Map<string, Action>> {
  const { actions, problems } = await checkActions(dir)
  if (problems[0]) throw problems[0]
  return actions
}
