// DuckDB errors → the codes, SQL states and wording Snowflake sends (snowflake-wire.md §10).
import { SnowflakeError } from './contract.js'

export const noWarehouse = (): SnowflakeError => new SnowflakeError('000606', '57P03',
  'No active warehouse selected in the current session.  Select an active warehouse with the \'use warehouse\' command.\n')

export const statementCount = (actual: number): SnowflakeError => new SnowflakeError('000008', '0A000',
  `Actual statement count ${actual} did not match the desired statement count 1.`)

export const bindMismatch = (expected: number, got: number): SnowflakeError => new SnowflakeError('002049', '42601',
  `SQL compilation error: error line 1 at position 0\nBind variable ${got < expected ? `:${got + 1}` : '?'} not set.` +
  (got > expected ? ` Expected ${expected} bind values, got ${got}.` : ''))

export const internal = (message: string): SnowflakeError => new SnowflakeError('000603', 'XX000',
  `SQL execution internal error:\n${message}`)

interface Position { line: number, pos: number }

/** DuckDB marks the position with a caret under `LINE n: <sql>`. */
function position (message: string): Position {
  const m = /LINE (\d+): (.*)\n( *)\^/.exec(message)
  if (m === null) return { line: 1, pos: 0 }
  const prefix = `LINE ${m[1] ?? '1'}: `.length
  return { line: Number(m[1]), pos: Math.max(0, (m[3]?.length ?? prefix) - prefix) }
}

function firstLine (message: string): string {
  return (message.split('\n')[0] ?? message).trim()
}

const strip = (s: string): string => s.replace(/^"|"$/g, '').replace(/^'|'$/g, '')

/** The message without the `LINE n:` excerpt DuckDB appends: a quoted value in it may span lines. */
function withoutExcerpt (message: string): string {
  return message.replace(/\n+LINE \d+: [\s\S]*$/, '').replace(/^Failed to extract statements: /, '')
}

/** The value a cast could not convert and the type it was cast to, from the whole message, not its first line. */
function failedCast (message: string): { value: string, target: string } | null {
  const whole = withoutExcerpt(message)
  const cast = /^Conversion Error: (?:Could not convert|Unimplemented type for cast|Could not cast) string ['"](.*)['"] to (\w+)/s.exec(whole)
  if (cast !== null) return { value: cast[1] ?? '', target: cast[2] ?? '' }
  const field = /^Conversion Error: (?:invalid )?(date|timestamp|time) field (?:format|value out of range): "(.*)"/s.exec(whole)
  if (field !== null) return { value: field[2] ?? '', target: (field[1] ?? '').toUpperCase() }
  return null
}

export function mapError (err: unknown): SnowflakeError {
  if (err instanceof SnowflakeError) return err
  const message = err instanceof Error ? err.message : String(err)
  const head = firstLine(message).replace(/^Failed to extract statements: /, '')
  const { line, pos } = position(message)
  let m: RegExpExecArray | null

  if ((m = /^Catalog Error: (?:Table|View|Table Function) with name (.+?) does not exist/.exec(head)) !== null) {
    return new SnowflakeError('002003', '42S02',
      `SQL compilation error:\nObject '${strip(m[1] ?? '').toUpperCase()}' does not exist or not authorized.`)
  }
  if ((m = /^Catalog Error: (?:Schema|Catalog) (?:with name )?"?([^"!]+?)"? does not exist/.exec(head)) !== null ||
    (m = /^Binder Error: Catalog "([^"]+)" does not exist/.exec(head)) !== null) {
    return new SnowflakeError('002003', '02000',
      `SQL compilation error:\nSchema '${strip(m[1] ?? '').toUpperCase()}' does not exist or not authorized.`)
  }
  if ((m = /^Catalog Error: (?:Table|View|Schema|Macro Function|Catalog) with name "?(.+?)"? already exists/.exec(head)) !== null) {
    return new SnowflakeError('002002', '42710',
      `SQL compilation error:\nObject '${strip(m[1] ?? '').toUpperCase()}' already exists.`)
  }
  if ((m = /^Catalog Error: Scalar Function with name (\S+) does not exist/.exec(head)) !== null) {
    return new SnowflakeError('002140', '42601',
      `SQL compilation error:\nUnknown function ${strip(m[1] ?? '').toUpperCase()}`)
  }
  if ((m = /^Binder Error: (?:Referenced column|Column|Values list) "?(.+?)"? (?:not found|referenced)/.exec(head)) !== null ||
    (m = /^Binder Error: Referenced table "(.+?)" not found/.exec(head)) !== null) {
    return new SnowflakeError('000904', '42000',
      `SQL compilation error: error line ${line} at position ${pos}\ninvalid identifier '${strip(m[1] ?? '')}'`)
  }
  if ((m = /^Parser Error: syntax error at or near "(.*)"/.exec(head)) !== null ||
    (m = /^Parser Error: syntax error at (end of input)/.exec(head)) !== null) {
    const token = m[1] === 'end of input' ? '<EOF>' : m[1] ?? ''
    return new SnowflakeError('001003', '42000',
      `SQL compilation error:\nsyntax error line ${line} at position ${pos} unexpected '${token}'.`)
  }
  if (head.startsWith('Parser Error:')) {
    return new SnowflakeError('001003', '42000',
      `SQL compilation error:\nsyntax error line ${line} at position ${pos} unexpected '${head.slice(14)}'.`)
  }
  const cast = failedCast(message)
  if (cast !== null) {
    const { value, target } = cast
    if (/DATE/.test(target)) return new SnowflakeError('100040', '22007', `Date '${value}' is not recognized`)
    if (/TIMESTAMP/.test(target)) return new SnowflakeError('100035', '22007', `Timestamp '${value}' is not recognized`)
    if (/TIME/.test(target)) return new SnowflakeError('100108', '22007', `Time '${value}' is not recognized`)
    if (/BOOL/.test(target)) return new SnowflakeError('100037', '22018', `Boolean value '${value}' is not recognized`)
    return new SnowflakeError('100038', '22018', `Numeric value '${value}' is not recognized`)
  }
  if (/^(?:Conversion|Invalid Input) Error: .*(?:date field value out of range|invalid date)/i.test(head)) {
    return new SnowflakeError('100040', '22007', `Date '${head}' is not recognized`)
  }
  if (/^Conversion Error: .*(?:out of range|overflow)/i.test(head) || /^Out of Range Error/.test(head)) {
    return new SnowflakeError('100046', '22003', `Number out of representable range: ${head.replace(/^[\w ]+Error: /, '')}`)
  }
  if (/^Conversion Error: Malformed JSON/.test(head) || /^Invalid Input Error: Malformed JSON/.test(head)) {
    return new SnowflakeError('100069', '22P02', `Error parsing JSON: ${head.replace(/^[\w ]+Error: /, '')}`)
  }
  if (/Division by zero/i.test(head)) return new SnowflakeError('100051', '22012', 'Division by zero')
  if ((m = /^Invalid Input Error: Boolean value '(.*)' is not recognized/.exec(head)) !== null) {
    return new SnowflakeError('100037', '22018', `Boolean value '${m[1] ?? ''}' is not recognized`)
  }
  if (/^Constraint Error: NOT NULL constraint failed: (.*)/.test(head)) {
    return new SnowflakeError('100072', '22000', 'NULL result in a non-nullable column')
  }
  if (/^Constraint Error/.test(head)) return new SnowflakeError('100116', '23000', head.replace(/^Constraint Error: /, ''))
  if (/^Invalid Input Error: (?:Expected \d+ parameters|Values were not provided)/.test(head)) {
    return new SnowflakeError('002049', '42601', `SQL compilation error: error line 1 at position 0\nBind variable not set. ${head}`)
  }
  if (/^INTERRUPT Error/.test(head)) return new SnowflakeError('000604', '57014', 'SQL execution canceled')
  if (/^Binder Error/.test(head)) {
    return new SnowflakeError('002020', '42601', `SQL compilation error:\n${head.replace(/^Binder Error: /, '')}`)
  }
  if (/^Catalog Error/.test(head)) {
    return new SnowflakeError('002003', '42S02', `SQL compilation error:\n${head.replace(/^Catalog Error: /, '')}`)
  }
  if (/^Not implemented Error|^Parser Error/.test(head)) {
    return new SnowflakeError('001003', '42000', `SQL compilation error:\n${head}`)
  }
  return internal(head)
}
