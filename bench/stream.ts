// NDJSON streams of bench-export (the shipped interaction-export) against snowflake-sdk streamRows() with the
// driver's default options, reading the same statement: rows/s in interleaved rounds at BENCH_ROWS, and the
// gateway's peak RSS above its idle RSS at a tenth, once and twice BENCH_ROWS, and with three streams at once.
// The emulator's big table has 2 × BENCH_ROWS rows; a stream of n rows starts at event id 2 × BENCH_ROWS − n + 1.
import { runToEnd, startServer } from './children.js'
import { peakRssMbOf, resetPeakRss, rssMb } from './process-memory.js'
import { formatSpread, type TargetRow } from './report.js'
import { alternating, interleave, roundRatios, spread } from './rounds.js'
import { gatewayEnv, knobs, STREAM_ROWS } from './shared.js'
import { countNdjson, type StreamResult } from './stream-client.js'

const RPS_TARGET = 1.0
const PEAK_TARGET_MB = 150
const CONCURRENT_TARGET_MB = 300
/** "Flat": the largest stream's peak at most this much above the smallest's. */
const FLAT_MB = 25
const CONCURRENT_STREAMS = 3

export const TABLE_ROWS = 2 * STREAM_ROWS

/** What the driver child prints: its rows/s and its own process's peak RSS. */
interface Streamed extends StreamResult { peakRssMb: number }
type Side = 'driver' | 'gateway'

const firstEventId = (rows: number): number => TABLE_ROWS - rows + 1
const label = (rows: number): string => rows >= 1e6 ? `${rows / 1e6}M` : `${rows / 1e3}k`

/** The gateway's memory around one measured stream (or several at once): RSS in MB. */
interface Memory { idleMb: number, peakAboveIdleMb: number, afterMb: number }
type GatewayStream = StreamResult & Memory

/**
 * `streams` streams of `rows` rows at once, through a gateway child of their own: warmed by one small stream (so
 * code loaded and compiled on first use is not counted), then idle for a second, then measured from there. A
 * fresh process each time, because the gateway's RSS does not fall back after a stream: in one long-lived
 * process every stream's peak would include the earlier ones'.
 */
async function gatewayStream (emulatorUrl: string, rows: number, streams = 1): Promise<GatewayStream> {
  const gateway = await startServer('bench/gateway-process.ts', [], gatewayEnv(emulatorUrl, 'gateway-stream'))
  try {
    const url = gateway.url + '/v1/actions/bench-export/stream'
    const stream = async (count: number): Promise<StreamResult> => {
      const result = await countNdjson(url, { variables: { fromEventId: firstEventId(count) }, all: true })
      if (result.rows !== count) throw new Error(`the gateway streamed ${result.rows} rows, not ${count}`)
      return result
    }
    await stream(Math.min(10_000, rows))
    await new Promise((resolve) => setTimeout(resolve, 1000))
    const idleMb = await rssMb(gateway.pid)
    await resetPeakRss(gateway.pid)
    const started = performance.now()
    await Promise.all(Array.from({ length: streams }, async () => await stream(rows)))
    const ms = performance.now() - started
    const peakAboveIdleMb = await peakRssMbOf(gateway.pid) - idleMb
    return { rows: rows * streams, ms: Math.round(ms), rowsPerSecond: Math.round(rows * streams / (ms / 1000)), idleMb, peakAboveIdleMb, afterMb: await rssMb(gateway.pid) }
  } finally {
    await gateway.stop()
  }
}

const memory = (m: GatewayStream): string => `${label(m.rows)} rows: ${m.rowsPerSecond} rows/s, idle ${m.idleMb} MB, peak +${m.peakAboveIdleMb} MB, ${m.afterMb} MB after`

export async function measureStream (emulatorUrl: string): Promise<TargetRow[]> {
  // Each side's full results, round by round; the rounds themselves compare rows/s.
  const gatewayRuns: GatewayStream[] = []
  const driverRuns: Streamed[] = []
  const rounds = await interleave<Side, StreamResult>({
    driver: async () => {
      const measured = JSON.parse(await runToEnd('bench/driver-stream.ts', [emulatorUrl, String(firstEventId(STREAM_ROWS))])) as Streamed
      if (measured.rows !== STREAM_ROWS) throw new Error(`the driver streamed ${measured.rows} rows, not ${STREAM_ROWS}`)
      driverRuns.push(measured)
      return measured
    },
    gateway: async () => {
      const measured = await gatewayStream(emulatorUrl, STREAM_ROWS)
      gatewayRuns.push(measured)
      return measured
    }
  }, alternating<Side>(['driver', 'gateway']), { rounds: knobs.streamRounds, ms: 0, firstWarmupMs: 0, warmupMs: 0 })
  const small = await gatewayStream(emulatorUrl, STREAM_ROWS / 10)
  const large = await gatewayStream(emulatorUrl, TABLE_ROWS)
  const concurrent = await gatewayStream(emulatorUrl, STREAM_ROWS, CONCURRENT_STREAMS)

  console.table(Object.fromEntries(rounds.map((round, n) => [`round ${n + 1}`, {
    'gateway rows/s': round.results.gateway.rowsPerSecond,
    'driver rows/s': round.results.driver.rowsPerSecond,
    ratio: (round.results.gateway.rowsPerSecond / round.results.driver.rowsPerSecond).toFixed(2),
    'gateway idle MB': gatewayRuns[n]?.idleMb,
    'gateway peak MB above idle': gatewayRuns[n]?.peakAboveIdleMb,
    'driver process peak MB': driverRuns[n]?.peakRssMb
  }])))
  console.log(`  ${memory(small)}\n  ${memory(large)}\n  ${CONCURRENT_STREAMS} at once, ${memory(concurrent)}`)

  const rps = roundRatios(rounds, 'gateway', 'driver', (r) => r.rowsPerSecond)
  const peak = spread(gatewayRuns.map((r) => r.peakAboveIdleMb))
  const idle = `gateway idle RSS (${spread(gatewayRuns.map((r) => r.idleMb)).median} MB)`
  const peaks = [small.peakAboveIdleMb, peak.max, large.peakAboveIdleMb]
  const growth = Math.max(...peaks) - Math.min(...peaks)
  return [{
    path: `NDJSON stream, ${STREAM_ROWS.toLocaleString('en-US')} rows: rows/s`,
    baseline: 'driver streamRows(), default options',
    gateway: `${Math.round(spread(gatewayRuns.map((r) => r.rowsPerSecond)).median)} rows/s`,
    baselineFigure: `${Math.round(spread(driverRuns.map((r) => r.rowsPerSecond)).median)} rows/s`,
    ratio: formatSpread(rps),
    target: `>= ${RPS_TARGET.toFixed(1)}x rows/s`,
    met: rps.median >= RPS_TARGET
  }, {
    path: `NDJSON stream, ${label(STREAM_ROWS)} rows: gateway peak RSS above idle`,
    baseline: idle,
    gateway: `+${peak.max} MB (rounds +${peak.min}–${peak.max})`,
    baselineFigure: `driver process peak ${spread(driverRuns.map((r) => r.peakRssMb)).max} MB`,
    ratio: `+${peak.max} MB`,
    target: `<= ${PEAK_TARGET_MB} MB above idle`,
    met: peak.max <= PEAK_TARGET_MB
  }, {
    path: `NDJSON stream: gateway peak RSS flat from ${label(small.rows)} to ${label(large.rows)} rows`,
    baseline: 'the same at the other sizes',
    gateway: `${label(small.rows)} +${small.peakAboveIdleMb} MB, ${label(STREAM_ROWS)} +${peak.max} MB, ${label(large.rows)} +${large.peakAboveIdleMb} MB`,
    baselineFigure: '-',
    ratio: `${growth} MB apart`,
    target: `flat (within ${FLAT_MB} MB)`,
    met: growth <= FLAT_MB
  }, {
    path: `NDJSON stream: ${CONCURRENT_STREAMS} concurrent ${label(STREAM_ROWS)}-row streams, gateway peak RSS above idle`,
    baseline: `gateway idle RSS (${concurrent.idleMb} MB)`,
    gateway: `+${concurrent.peakAboveIdleMb} MB, ${concurrent.rowsPerSecond} rows/s in all`,
    baselineFigure: '-',
    ratio: `+${concurrent.peakAboveIdleMb} MB`,
    target: `<= ${CONCURRENT_TARGET_MB} MB above idle`,
    met: concurrent.peakAboveIdleMb <= CONCURRENT_TARGET_MB
  }]
}
