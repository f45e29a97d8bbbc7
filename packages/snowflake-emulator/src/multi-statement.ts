// A request's SQL split into its statements at top-level semicolons (never inside literals, quoted names or
// comments), for MULTI_STATEMENT_COUNT.
import { isTrivia, tokenize } from './engine/lexer.js'

export function splitStatements (sql: string): string[] {
  const statements: string[] = []
  let current = ''
  let significant = false
  for (const t of tokenize(sql)) {
    if (t.kind === 'op' && t.text === ';') {
      if (significant) statements.push(current.trim())
      current = ''
      significant = false
      continue
    }
    current += t.text
    if (!isTrivia(t)) significant = true
  }
  if (significant) statements.push(current.trim())
  return statements
}
