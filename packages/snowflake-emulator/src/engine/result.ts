// Results held as pre-encoded wire text: one string per segment of rows plus the offset of each row, so any
// [start, end) range is a slice. A million rows cost one byte per character of wire JSON, not a million arrays.
import type { Column, StatementResult, WireRow } from './contract.js'

export class TextSegments {
  private readonly texts: string[] = []
  /** starts[s][i] is where row i of segment s begins; one extra entry marks the end. */
  private readonly starts: Uint32Array[] = []
  private readonly firstRow: number[] = []
  rowCount = 0
  chars = 0

  /** Adds rows joined by '\n' (raw newlines never occur inside wire JSON). */
  addNewlineJoined (text: string): void {
    if (text.length === 0) return
    const offsets: number[] = [0]
    let at = text.indexOf('\n')
    while (at >= 0) {
      offsets.push(at + 1)
      at = text.indexOf('\n', at + 1)
    }
    offsets.push(text.length + 1)
    this.push(text.replaceAll('\n', ','), offsets)
  }

  addRows (rows: WireRow[]): void {
    if (rows.length === 0) return
    const parts = rows.map(r => JSON.stringify(r))
    const offsets: number[] = [0]
    let at = 0
    for (const p of parts) { at += p.length + 1; offsets.push(at) }
    this.push(parts.join(','), offsets)
  }

  private push (text: string, offsets: number[]): void {
    this.firstRow.push(this.rowCount)
    this.texts.push(text)
    this.starts.push(Uint32Array.from(offsets))
    this.rowCount += offsets.length - 1
    this.chars += text.length
  }

  private segmentOf (row: number): number {
    let lo = 0
    let hi = this.firstRow.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if ((this.firstRow[mid] as number) <= row) lo = mid
      else hi = mid - 1
    }
    return lo
  }

  text (start: number, end: number): string {
    const from = Math.max(0, start)
    const to = Math.min(this.rowCount, end)
    if (from >= to || this.texts.length === 0) return ''
    const parts: string[] = []
    let seg = this.segmentOf(from)
    let row = from
    while (row < to) {
      const base = this.firstRow[seg] as number
      const starts = this.starts[seg] as Uint32Array
      const segEnd = Math.min(to, base + starts.length - 1)
      // Each row's end offset includes its trailing comma; drop it from the last row of the slice.
      parts.push((this.texts[seg] as string).slice(starts[row - base], (starts[segEnd - base] as number) - 1))
      row = segEnd
      seg++
    }
    return parts.join(',')
  }

  clear (): void {
    this.chars = 0
    this.texts.length = 0
    this.starts.length = 0
    this.firstRow.length = 0
  }
}

export function makeResult (columns: Column[], statementTypeId: number, segments: TextSegments, bytesScanned: number): StatementResult {
  return {
    columns,
    statementTypeId,
    rowCount: segments.rowCount,
    bytesScanned,
    rows (start: number, end: number): WireRow[] {
      const text = segments.text(start, end)
      return text === '' ? [] : JSON.parse('[' + text + ']') as WireRow[]
    },
    chunkText (start: number, end: number): string {
      return segments.text(start, end)
    },
    heldChars (): number {
      return segments.chars
    },
    release (): void {
      segments.clear()
    }
  }
}

/** A small result built from JS rows (DML counts, DDL status, session statements). */
export function rowsResult (columns: Column[], statementTypeId: number, rows: WireRow[], bytesScanned = 0): StatementResult {
  const segments = new TextSegments()
  segments.addRows(rows)
  return makeResult(columns, statementTypeId, segments, bytesScanned)
}
