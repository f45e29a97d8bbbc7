import type { FastifyInstance } from 'fastify'
import { BodyInvalid } from '../errors.js'
import { quote } from '../schemas/problems.js'

const nested = /^(variables|page|callback)\[([^\]]+)\]$/

/**
 * Keys that reach an object's prototype: assigning `__proto__` replaces it (Object.assign of a parsed
 * field would), and `constructor.prototype` is how a deep merge reaches it. Fastify's JSON parser refuses
 * `__proto__` and `constructor.prototype`; a form, whose objects this parser builds, refuses each name alone.
 */
const prototypeKeys = new Set(['__proto__', 'constructor', 'prototype'])

/** Where a value came from, as a message names it: only what the caller sent (a whole JSON body has no field name). */
const wholeBody = 'The body'
const field = (name: string): string => `The form field ${quote(name)}`

/** What each JSON text should look like, for the message that says it does not. */
const shapes: Record<string, string> = {
  [wholeBody]: '{"variables": {"name": "value"}}',
  [field('variables')]: '{"name": "value"}',
  [field('page')]: '{"size": 10} or {"cursor": "<nextCursor>"}'
}

function checkKey (where: string, key: string): void {
  if (prototypeKeys.has(key)) throw new BodyInvalid(`${where} names '${key}', which is refused: it could reach an object's prototype`)
}

/** Where JSON.parse stopped, without its own words: newer engines quote the text, which may hold sensitive values. */
function whereItBreaks (err: unknown): string {
  const message = err instanceof Error ? err.message : ''
  const position = /position (\d+)/.exec(message)?.[1]
  if (position !== undefined) return ` (at position ${position})`
  return /end of JSON/.test(message) ? ' (it ends too soon)' : ''
}

function parseJsonField (where: string, text: string): Record<string, unknown> {
  let value: unknown
  try {
    // JSON.parse decodes \u escapes in keys before the reviver sees them, and visits every nested key.
    value = JSON.parse(text, (key, inner: unknown) => {
      checkKey(where, key)
      return inner
    })
  } catch (err) {
    if (err instanceof BodyInvalid) throw err
    const why = where === wholeBody ? 'is form-encoded and starts with \'{\', but is not valid JSON' : 'is not valid JSON'
    throw new BodyInvalid(`${where} ${why}${whereItBreaks(err)}; it must hold a JSON object such as ${shapes[where] ?? '{}'}`)
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>
  throw new BodyInvalid(`${where} must hold a JSON object such as ${shapes[where] ?? '{}'}, not ${Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`}`)
}

/**
 * Studio posts `application/x-www-form-urlencoded` unless a script says otherwise, and often the
 * body is JSON anyway. Accepted: a JSON body; `variables` / `page` fields holding JSON;
 * `variables[name]=…`, `page[size]=…` and `callback[contactId]=…`; `mode=async`; and any other field, taken
 * as a variable.
 */
function parseFormBody (text: string): Record<string, unknown> {
  if (text.trimStart().startsWith('{')) return parseJsonField(wholeBody, text)
  const variables: Record<string, unknown> = {}
  const page: Record<string, unknown> = {}
  const callback: Record<string, unknown> = {}
  const body: Record<string, unknown> = { variables }
  const parts: Record<string, Record<string, unknown>> = { variables, page, callback }
  for (const [key, value] of new URLSearchParams(text)) {
    const match = nested.exec(key)
    const name = match ? match[2] as string : key
    checkKey(field(key), name)
    if (match) (parts[match[1] as string] as Record<string, unknown>)[name] = value
    else if (key === 'mode') body.mode = value
    else if (key === 'variables') Object.assign(variables, parseJsonField(field(key), value))
    else if (key === 'page') Object.assign(page, parseJsonField(field(key), value))
    else if (key === 'callback') Object.assign(callback, parseJsonField(field(key), value))
    else variables[key] = value
  }
  if (Object.keys(page).length > 0) body.page = page
  if (Object.keys(callback).length > 0) body.callback = callback
  return body
}

export function registerFormBody (app: FastifyInstance): void {
  // Only JSON and forms carry variables; anything else is a 415, not a body the schema then rejects.
  app.removeContentTypeParser('text/plain')
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, text, done) => {
    try {
      done(null, parseFormBody(text as string))
    } catch (err) {
      done(err as Error, undefined)
    }
  })
}
