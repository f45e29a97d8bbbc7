// ALTER SESSION SET/UNSET and USE … change session state, so the protocol layer answers them itself.
import { errors } from './errors.js'
import { identifierName } from './engine/lexer.js'
import { defaultParameters, type ParamValue } from './parameters.js'
import type { Session } from './sessions.js'

export type SessionCommand = (session: Session) => void

const useRe = /^use\s+(?:(database|schema|warehouse|role)\s+)?(.+)$/is
const alterRe = /^alter\s+session\s+(set|unset)\s+(.+)$/is
const assignmentRe = /^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*('(?:[^']|'')*'|[^\s,]+)\s*,?\s*/s
const nameRe = /^([A-Za-z_][A-Za-z0-9_]*)\s*,?\s*/s

/** The command when `sql` is one the session layer handles, otherwise null. Throws on a malformed one. */
export function parseSessionCommand (sql: string): SessionCommand | null {
  const text = sql.trim().replace(/;\s*$/, '').trim()
  const use = useRe.exec(text)
  if (use !== null) return parseUse((use[1] ?? 'database').toLowerCase(), use[2] ?? '')
  const alter = alterRe.exec(text)
  if (alter !== null) return (alter[1] ?? '').toLowerCase() === 'set' ? parseSet(alter[2] ?? '') : parseUnset(alter[2] ?? '')
  return null
}

function parseUse (kind: string, target: string): SessionCommand {
  if (kind === 'role' && /^secondary\s+roles\b/i.test(target)) return () => {}
  const parts = splitQualified(target.trim())
  if (parts.length === 0 || parts.length > 2) throw errors.syntax(`invalid name '${target}' in USE`)
  const names = parts.map(identifierName)
  return (session) => {
    if (kind === 'warehouse') session.warehouse = names[0] ?? null
    else if (kind === 'role') session.role = names[0] ?? null
    else if (kind === 'schema') {
      if (names.length === 2) {
        session.database = names[0] ?? null
        session.schema = names[1] ?? null
      } else session.schema = names[0] ?? null
    } else {
      session.database = names[0] ?? null
      if (names.length === 2) session.schema = names[1] ?? null
      else session.schema = 'PUBLIC'
    }
  }
}

function parseSet (rest: string): SessionCommand {
  const values: Array<[string, ParamValue]> = []
  let text = rest.trim()
  while (text !== '') {
    const m = assignmentRe.exec(text)
    if (m === null) throw errors.syntax(`syntax error in ALTER SESSION near '${text.slice(0, 30)}'`)
    values.push([(m[1] ?? '').toUpperCase(), parseValue(m[2] ?? '')])
    text = text.slice(m[0].length)
  }
  return (session) => { for (const [name, value] of values) session.params.set(name, value) }
}

function parseUnset (rest: string): SessionCommand {
  const names: string[] = []
  let text = rest.trim()
  while (text !== '') {
    const m = nameRe.exec(text)
    if (m === null) throw errors.syntax(`syntax error in ALTER SESSION near '${text.slice(0, 30)}'`)
    names.push((m[1] ?? '').toUpperCase())
    text = text.slice(m[0].length)
  }
  return (session) => {
    for (const name of names) {
      const initial = defaultParameters[name]
      if (initial === undefined) session.params.delete(name)
      else session.params.set(name, initial)
    }
  }
}

function parseValue (raw: string): ParamValue {
  if (raw.startsWith("'")) return raw.slice(1, -1).replaceAll("''", "'")
  if (/^(true|false)$/i.test(raw)) return raw.toLowerCase() === 'true'
  if (/^-?\d+(\.\d+)?$/.test(raw)) return Number(raw)
  return raw.toUpperCase()
}

// Splits `a.b` and `"a.b".c` on the dots outside quotes.
function splitQualified (name: string): string[] {
  const parts: string[] = []
  let current = ''
  let quoted = false
  for (const ch of name) {
    if (ch === '"') quoted = !quoted
    if (ch === '.' && !quoted) {
      parts.push(current)
      current = ''
    } else current += ch
  }
  if (current !== '') parts.push(current)
  return parts.filter(p => p.trim() !== '')
}
