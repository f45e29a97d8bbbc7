// What a Studio SNIPPET's dynamic body object becomes once `.asjson()` has made JSON of it.

export type Json = Record<string, unknown>

/**
 * The JSON `.asjson()` makes of the dynamic object `name`, from its ASSIGN lines: Studio variables replaced by
 * `values`, every value a string. A line naming a variable not in `values` is skipped, as the snippet's IF skips
 * an optional variable left empty.
 */
export function studioBody (snippet: string, name: string, values: Record<string, string>): Json {
  const body: Json = {}
  for (const [, path, rhs] of snippet.matchAll(new RegExp(`^\\s*ASSIGN ${name}\\.([\\w.]+) = (.+)$`, 'gm'))) {
    const quoted = /^"(.*)"$/.exec(rhs ?? '')?.[1]
    const names = quoted === undefined ? [rhs ?? ''] : [...quoted.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '')
    if (quoted === undefined && /^\d+$/.test(rhs ?? '')) names.length = 0
    if (names.some((variable) => !(variable in values))) continue
    const value = quoted === undefined ? values[rhs ?? ''] ?? rhs : quoted.replace(/\{(\w+)\}/g, (_, variable: string) => values[variable] ?? '')
    const keys = (path ?? '').split('.')
    let node = body
    for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Json
    node[keys.at(-1) ?? ''] = value
  }
  return body
}

/** Studio variables as a script would hold them: the schema's example or default, as text. */
export function exampleValues (input: Json): Record<string, string> {
  const values: Record<string, string> = {}
  for (const [name, schema] of Object.entries((input.properties ?? {}) as Record<string, Json>)) {
    const value = Array.isArray(schema.examples) ? schema.examples[0] : schema.default
    if (value !== undefined) values[name] = String(value)
  }
  return values
}
