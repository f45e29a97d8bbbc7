import type { FastifyInstance } from 'fastify'

class FormBodyInvalid extends Error {
  readonly statusCode = 400
  readonly code = 'BODY_INVALID'
}

const nested = /^(variables|page)\[([^\]]+)\]$/

function parseJsonField (name: string, text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text)
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>
  } catch {}
  throw new FormBodyInvalid(`The form field '${name}' must hold a JSON object`)
}

/**
 * Studio posts `application/x-www-form-urlencoded` unless a script says otherwise, and often the
 * body is JSON anyway. Accepted: a JSON body; `variables` / `page` fields holding JSON;
 * `variables[name]=…` and `page[size]=…`; and any other field, taken as a variable.
 */
function parseFormBody (text: string): Record<string, unknown> {
  if (text.trimStart().startsWith('{')) return parseJsonField('body', text)
  const variables: Record<string, unknown> = {}
  const page: Record<string, unknown> = {}
  const body: Record<string, unknown> = { variables }
  for (const [key, value] of new URLSearchParams(text)) {
    const match = nested.exec(key)
    if (match) (match[1] === 'page' ? page : variables)[match[2] as string] = value
    else if (key === 'variables') Object.assign(variables, parseJsonField(key, value))
    else if (key === 'page') Object.assign(page, parseJsonField(key, value))
    else variables[key] = value
  }
  if (Object.keys(page).length > 0) body.page = page
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
