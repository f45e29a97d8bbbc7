// NDJSON streams of bench-export (the shipped interaction-export) against snowflake-sdk streamRows() with the
// driver's default options, reading the same statement: rows/s in interleaved rounds at BENCH_ROWS, and the
// gateway's peak RSS above its idle RSS at a tenth, once and twice BENCH_ROWS, and with three streams at once.
// The emulator's big table has 2 × BENCH_ROWS rows; a stream of n rows starts at event id 2 × BENCH_ROWS − n + 1.
import { runToEnd, startServer, type Server } from './children.js'
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

interface Streamed extends StreamResult { peakRssMb: number }
type Side = 'driver' | 'gateway'

const firstEventId = (rows: number): number => TABLE_ROWS - rows + 1
const label = (rows: number): string => rows >= 1e6 ? `${rows / 1e6}M` : `${rows / 1e3}k`

export async function measureStream (emulatorUrl: string): Promise<TargetRow[]> {
  let gateway: Server | undefined
  try {
    gateway = await startServer('bench/gateway-process.ts', [], gatewayEnv(emulatorUrl, 'gateway-stream'))
    const { pid } = gateway
    const url = gateway.url + '/v1/actions/bench-export/stream'
    const stream = async (rows: number): Promise<StreamResult> => {
      const result = await countNdjson(url, { variables: { fromEventId: firstEventId(rows) }, all: true })
      if (result.rows !== rows) throw new Error(`the gateway streamed ${result.rows} rows, not ${rows}`)
      return result
    }
    /** Peak RSS above idle while `run` runs, with the high-water mark reset first. */
    const peakOf = async <T>(idle: number, run: () => Promise<T>): Promise<T & { peakRssMb: number }> => {
      await resetPeakRss(pid)
      const result = await run()
      return { ...result, peakRssMb: await peakRssMbOf(pid) - idle }
    }

    // Idle after one small stream, so code loaded and compiled on first use is not counted as the streams' memory.
    await stream(Math.min(10_000, STREAM_ROWS))
    await new Promise((resolve) => setTimeout(resolve, 1000))
    const idle = await rssMb(pid)

    const rounds = await interleave<Side, Streamed>({
      driver: async () => {
        const measured = JSON.parse(await runToEnd('bench/driver-stream.ts', [emulatorUrl, String(firstEventId(STREAM_ROWS))])) as Streamed
        if (measured.rows !== STREAM_ROWS) throw new Error(`the driver streamed ${measured.rows} rows, not ${STREAM_ROWS}`)
        return measured
      },
      gateway: async () => await peakOf(idle, async () => await stream(STREAM_ROWS))
    }, alternating<Side>(['driver', 'gateway']), { rounds: knobs.streamRounds, ms: 0, firstWarmupMs: 0, warmupMs: 0 })
    const small = await peakOf(idle, async () => await stream(STREAM_ROWS / 10))
    const large = await peakOf(idle, async () => await stream(TABLE_ROWS))
    const concurrent = await peakOf(idle, async () => {
      const started = performance.now()
      const streams = await Promise.all(Array.from({ length: CONCURRENT_STREAMS }, async () => await stream(STREAM_ROWS)))
      const rows = streams.reduce((total, s) => total + s.rows, 0)
      return { rows, rowsPerSecond: Math.round(rows / ((performance.now() - started) / 1000)) }
    })

    console.table(Object.fromEntries(rounds.map((round, n) => [`round ${n + 1}`, {
      'gateway rows/s': round.results.gateway.rowsPerSecond,
      'driver rows/s': round.results.driver.rowsPerSecond,
      ratio: (round.results.gateway.rowsPerSecond / round.results.driver.rowsPerSecond).toFixed(2),
      'gateway peak MB above idle': round.results.gateway.peakRssMb,
      'driver process peak MB': round.results.driver.peakRssMb
    }])))
    console.log(`  gateway idle RSS ${idle} MB; ${label(small.rows)} rows: ${small.rowsPerSecond} rows/s, peak +${small.peakRssMb} MB; ` +
      `${label(large.rows)} rows: ${large.rowsPerSecond} rows/s, peak +${large.peakRssMb} MB; ` +
      `${CONCURRENT_STREAMS} × ${label(STREAM_ROWS)} at once: ${concurrent.rowsPerSecond} rows/s in all, peak +${concurrent.peakRssMb} MB`)

    const gatewayRuns = rounds.map((round) => round.results.gateway)
    const driverRuns = rounds.map((round) => round.results.driver)
    const rps = roundRatios(rounds, 'gateway', 'driver', (r) => r.rowsPerSecond)
    const peak = spread(gatewayRuns.map((r) => r.peakRssMb))
    const peaks = [small.peakRssMb, peak.max, large.peakRssMb]
    const growth = Math.max(...peaks) - Math.min(...peaks)
    const driverDefaults = 'driver streamRows(), default options'
    return [{
      path: `NDJSON stream, ${STREAM_ROWS.toLocaleString('en-US')} rows: rows/s`,
      baseline: driverDefaults,
      gateway: `${spread(gatewayRuns.map((r) => r.rowsPerSecond)).median} rows/s`,
      baselineFigure: `${spread(driverRuns.map((r) => r.rowsPerSecond)).median} rows/s`,
      ratio: formatSpread(rps),
      target: `>= ${RPS_TARGET.toFixed(1)}x rows/s`,
      met: rps.median >= RPS_TARGET
    }, {
      path: `NDJSON stream, ${label(STREAM_ROWS)} rows: gateway peak RSS above idle`,
      baseline: `gateway idle RSS (${idle} MB)`,
      gateway: `+${peak.max} MB (rounds ${peak.min}–${peak.max})`,
      baselineFigure: `${idle} MB idle; driver process peak ${spread(driverRuns.map((r) => r.peakRssMb)).max} MB`,
      ratio: `+${peak.max} MB`,
      target: `<= ${PEAK_TARGET_MB} MB above idle`,
      met: peak.max <= PEAK_TARGET_MB
    }, {
      path: `NDJSON stream: gateway peak RSS flat from ${label(STREAM_ROWS / 10)} to ${label(TABLE_ROWS)} rows`,
      baseline: 'the same at the other sizes',
      gateway: `${label(small.rows)} +${small.peakRssMb} MB, ${label(STREAM_ROWS)} +${peak.max} MB, ${label(large.rows)} +${large.peakRssMb} MB`,
      baselineFigure: '-',
      ratio: `${growth} MB apart`,
      target: `flat (within ${FLAT_MB} MB)`,
      met: growth <= FLAT_MB
    }, {
      path: `NDJSON stream: ${CONCURRENT_STREAMS} concurrent ${label(STREAM_ROWS)}-row streams, gateway peak RSS above idle`,
      baseline: `gateway idle RSS (${idle} MB)`,
      gateway: `+${concurrent.peakRssMb} MB, ${concurrent.rowsPerSecond} rows/s in all`,
      baselineFigure: '-',
      ratio: `+${concurrent.peakRssMb} MB`,
      target: `<= ${CONCURRENT_TARGET_MB} MB above idle`,
      met: concurrent.peakRssMb <= CONCURRENT_TARGET_MB
    }]
  } finally {
    await gateway?.stop()
  }
}
