import type { FastifyInstance } from 'fastify'
import { BodyInvalid } from '../errors.js'

const nested = /^(variables|page|callback)\[([^\]]+)\]$/

/**
 * Keys that reach an object's prototype: assigning `__proto__` replaces it (Object.assign of a parsed
 * field would), and `constructor.prototype` is how a deep merge reaches it. Fastify's JSON parser refuses
 * `__proto__` and `constructor.prototype`; a form, whose objects this parser builds, refuses each name alone.
 */
const prototypeKeys = new Set(['__proto__', 'constructor', 'prototype'])

function checkKey (name: string, key: string): void {
  if (prototypeKeys.has(key)) throw new BodyInvalid(`The form field '${name}' names '${key}', which is refused: it could reach an object's prototype`)
}

function parseJsonField (name: string, text: string): Record<string, unknown> {
  let value: unknown
  try {
    // JSON.parse decodes \u escapes in keys before the reviver sees them, and visits every nested key.
    value = JSON.parse(text, (key, inner: unknown) => {
      checkKey(name, key)
      return inner
    })
  } catch (err) {
    if (err instanceof BodyInvalid) throw err
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>
  throw new BodyInvalid(`The form field '${name}' must hold a JSON object`)
}

/**
 * Studio posts `application/x-www-form-urlencoded` unless a script says otherwise, and often the
 * body is JSON anyway. Accepted: a JSON body; `variables` / `page` fields holding JSON;
 * `variables[name]=…`, `page[size]=…` and `callback[contactId]=…`; `mode=async`; and any other field, taken
 * as a variable.
 */
function parseFormBody (text: string): Record<string, unknown> {
  if (text.trimStart().startsWith('{')) return parseJsonField('body', text)
  const variables: Record<string, unknown> = {}
  const page: Record<string, unknown> = {}
  const callback: Record<string, unknown> = {}
  const body: Record<string, unknown> = { variables }
  const parts: Record<string, Record<string, unknown>> = { variables, page, callback }
  for (const [key, value] of new URLSearchParams(text)) {
    const match = nested.exec(key)
    const name = match ? match[2] as string : key
    checkKey(key, name)
    if (match) (parts[match[1] as string] as Record<string, unknown>)[name] = value
    else if (key === 'mode') body.mode = value
    else if (key === 'variables') Object.assign(variables, parseJsonField(key, value))
    else if (key === 'page') Object.assign(page, parseJsonField(key, value))
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
