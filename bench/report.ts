// The one table `npm run bench` ends with: every row of the issue's benchmark table, its figures, ratio and
// target, and whether the target was met.
import type { SideSummary, Spread } from './rounds.js'

export interface TargetRow {
  path: string
  baseline: string
  gateway: string
  baselineFigure: string
  /** The median of the per-round ratios with their min–max, or the row's own figure where it has no baseline. */
  ratio: string
  target: string
  met: boolean
}

export function formatSpread (s: Spread, digits = 2): string {
  return s.min === s.max ? s.median.toFixed(digits) : `${s.median.toFixed(digits)} (${s.min.toFixed(digits)}–${s.max.toFixed(digits)})`
}

/** A rate as it reads best: whole numbers from 100 up, two decimals below. */
export function rate (perSecond: number): number {
  return perSecond >= 100 ? Math.round(perSecond) : Number(perSecond.toFixed(2))
}

/** One side's medians over the rounds, with its errors when it had any. */
export function loadFigure (s: SideSummary): string {
  return `${rate(s.rps)} req/s, p50 ${s.p50Ms} ms, p99 ${s.p99Ms} ms` + (s.errors > 0 ? `, ${s.errors} errors` : '')
}

const escape = (cell: string): string => cell.replaceAll('|', '\\|')

/** A Markdown table (it pastes into the README as it is), then a plain line naming the targets not met. */
export function printTargets (rows: TargetRow[]): void {
  const header = ['path', 'baseline', 'gateway', 'baseline figure', 'ratio (median, min–max of rounds)', 'target', 'met?']
  const cells = rows.map((row) => [row.path, row.baseline, row.gateway, row.baselineFigure, row.ratio, row.target, row.met ? 'yes' : '**NO**'])
  console.log(`| ${header.join(' | ')} |`)
  console.log(`|${header.map(() => '---').join('|')}|`)
  for (const line of cells) console.log(`| ${line.map(escape).join(' | ')} |`)
  const unmet = rows.filter((row) => !row.met)
  console.log(unmet.length === 0
    ? '\nEvery target measured was met.'
    : `\nTargets NOT met (${unmet.length} of ${rows.length}): ${unmet.map((row) => `${row.path} (${row.ratio}, target ${row.target})`).join('; ')}`)
}
