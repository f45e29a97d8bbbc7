// Interleaved rounds: the sides of a comparison are measured in turn, in several short windows each, with
// their servers kept running in between. On a shared machine the background load changes over seconds; one
// long window per side lets such a change decide the ratio, short alternating windows put it on both sides.
import type { LoadResult } from './load.js'

export interface RoundsOptions {
  rounds: number
  /** Measured per side and round. */
  ms: number
  /** Unmeasured load before each side's first window (JIT, pools, sockets). */
  firstWarmupMs: number
  /** Unmeasured load before every later window (fresh keep-alive sockets after the side sat idle). */
  warmupMs: number
  /** Awaited before every window: work one side left running in the background must not land in the next one's. */
  settle?: () => Promise<void>
}

/** Warms up for `warmupMs`, then measures one window of `ms`. */
export type Measure<R> = (warmupMs: number, ms: number) => Promise<R>

export interface Round<K extends string, R = LoadResult> { order: K[], results: Record<K, R> }

/** Each round measures every side once, in the order `order(round)` gives. */
export async function interleave<K extends string, R = LoadResult> (measure: Record<K, Measure<R>>, order: (round: number) => K[],
  options: RoundsOptions): Promise<Array<Round<K, R>>> {
  const warmed = new Set<K>()
  const rounds: Array<Round<K, R>> = []
  for (let round = 0; round < options.rounds; round++) {
    const sides = order(round)
    const results: Partial<Record<K, R>> = {}
    for (const side of sides) {
      await options.settle?.()
      results[side] = await measure[side](warmed.has(side) ? options.warmupMs : options.firstWarmupMs, options.ms)
      warmed.add(side)
    }
    rounds.push({ order: sides, results: results as Record<K, R> })
  }
  return rounds
}

/**
 * `sides` in even rounds, reversed in odd ones: sides listed next to each other (a gateway and its baseline)
 * stay neighbours, and each goes first every other round.
 */
export function alternating<K extends string> (sides: K[]): (round: number) => K[] {
  const reversed = [...sides].reverse()
  return (round) => round % 2 === 0 ? sides : reversed
}

export function median (values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  if (sorted.length === 0) return NaN
  return sorted.length % 2 === 1 ? sorted[mid] as number : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
}

export interface Spread { median: number, min: number, max: number }

export function spread (values: number[]): Spread {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values) }
}

/** One side over all rounds: request and error totals, and the median of each round's rps, p50 and p99. */
export interface SideSummary { rounds: number, requests: number, errors: number, rps: number, p50Ms: number, p99Ms: number }

export function summarize (results: LoadResult[]): SideSummary {
  const sum = (pick: (r: LoadResult) => number): number => results.reduce((total, r) => total + pick(r), 0)
  const mid = (pick: (r: LoadResult) => number): number => Number(median(results.map(pick)).toFixed(2))
  return {
    rounds: results.length,
    requests: sum((r) => r.requests),
    errors: sum((r) => r.errors),
    rps: mid((r) => r.rps),
    p50Ms: mid((r) => r.p50Ms),
    p99Ms: mid((r) => r.p99Ms)
  }
}

/** `a / b` of `pick` in each round, as a spread over the rounds. */
export function roundRatios<K extends string, R = LoadResult> (rounds: Array<Round<K, R>>, a: K, b: K, pick: (r: R) => number): Spread {
  return spread(rounds.map((round) => pick(round.results[a]) / pick(round.results[b])))
}
