// Snowflake identifier rules (engine/lexer.ts identifierName): unquoted names are upper-cased, "quoted" names keep their case.
import { identifierName } from './engine/lexer.js'

/** A name from the login URL; absent or blank is none. */
export function optionalIdentifier (raw: string | null | undefined): string | null {
  if (raw === null || raw === undefined || raw.trim() === '') return null
  return identifierName(raw)
}
