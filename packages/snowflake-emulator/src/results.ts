// Builds the `data` of a successful query response: inline rowset plus absolute chunk URLs for the rest.
import type { Column, StatementResult, WireRow } from './engine/contract.js'
import type { QueryRecord } from './statements.js'

export interface ChunkLayout { inline: number, chunkRows: number }

export function chunkRange (total: number, layout: ChunkLayout, index: number): [number, number] | null {
  const start = layout.inline + index * layout.chunkRows
  if (index < 0 || start >= total) return null
  return [start, Math.min(total, start + layout.chunkRows)]
}

export function resultData (q: QueryRecord, result: StatementResult, baseUrl: string): Record<string, unknown> {
  const total = result.rowCount
  const inline = Math.min(total, q.layout.inline)
  const chunks: Array<Record<string, unknown>> = []
  for (let i = 0; ; i++) {
    const range = chunkRange(total, q.layout, i)
    if (range === null) break
    chunks.push({ url: `${baseUrl}/__chunks/${q.id}/${i}`, rowCount: range[1] - range[0], uncompressedSize: -1, compressedSize: -1 })
  }
  const data: Record<string, unknown> = {
    parameters: q.parameters,
    rowtype: result.columns,
    rowset: result.rows(0, inline),
    total,
    // The driver stops streaming at `returned`: it must count every row, inline and chunked.
    returned: total,
    queryId: q.id,
    finalDatabaseName: q.final.database,
    finalSchemaName: q.final.schema,
    finalWarehouseName: q.final.warehouse,
    finalRoleName: q.final.role,
    databaseProvider: null,
    numberOfBinds: q.numberOfBinds,
    statementTypeId: result.statementTypeId,
    version: 1,
    queryResultFormat: 'json',
    queryContext: { entries: [] }
  }
  if (chunks.length > 0) data.chunks = chunks
  if (q.resultIds !== undefined) data.resultIds = q.resultIds.join(',')
  return data
}

const statusColumn: Column = {
  name: 'status',
  type: 'text',
  nullable: true,
  precision: null,
  scale: null,
  length: 16777216,
  byteLength: 16777216,
  database: '',
  schema: '',
  table: '',
  collation: null
}

/** The one-row answer of a session command (ALTER SESSION, USE) or a multi-statement request. */
export function statusResult (message: string, column = 'status'): StatementResult {
  const rows: WireRow[] = [[message]]
  return {
    columns: [{ ...statusColumn, name: column }],
    statementTypeId: 0x4000,
    rowCount: 1,
    bytesScanned: 0,
    rows: (start, end) => rows.slice(start, end),
    chunkText: (start, end) => rows.slice(start, end).map(r => JSON.stringify(r)).join(','),
    heldChars: () => 0,
    release: () => {}
  }
}
