// Snowflake identifier rules: unquoted names are upper-cased, "quoted" names keep their case.
export function normalizeIdentifier (raw: string): string {
  const s = raw.trim()
  if (s.length >= 2 && s.startsWith('"') && s.endsWith('"')) return s.slice(1, -1).replaceAll('""', '"')
  return s.toUpperCase()
}

export function optionalIdentifier (raw: string | null | undefined): string | null {
  if (raw === null || raw === undefined || raw.trim() === '') return null
  return normalizeIdentifier(raw)
}
