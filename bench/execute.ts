// Execute with the cache off (bench-lookup) against a bare snowflake-sdk handler running the same statement, in
// interleaved rounds; and the gateway's statements per execution over the same run, read from the emulator's
// query log (the gateway logs in as its own user), cost reads and every other statement included.
import { startServer, type Server } from './children.js'
import { measureLoad, type LoadResult } from './load.js'
import { StatementCounter } from './query-log.js'
import { formatSpread, loadFigure, rate, type TargetRow } from './report.js'
import { alternating, interleave, roundRatios, summarize } from './rounds.js'
import { customerId, gatewayEnv, knobs, POOL_SIZE } from './shared.js'

const RPS_TARGET = 0.9
const STATEMENTS_TARGET = 1.05
const GATEWAY_USER = 'gateway-execute'

type Side = 'bare' | 'gateway'

export async function measureExecute (emulatorUrl: string, parts: { execute: boolean, statements: boolean }): Promise<TargetRow[]> {
  const servers: Server[] = []
  try {
    const bare = await startServer('bench/bare-server.ts', [emulatorUrl])
    servers.push(bare)
    const gateway = await startServer('bench/gateway-process.ts', [], gatewayEnv(emulatorUrl, GATEWAY_USER))
    servers.push(gateway)
    // From here on, every statement of the gateway's user is counted: its start-up statements are not.
    const statements = await StatementCounter.from(emulatorUrl, GATEWAY_USER)
    let executions = 0
    const load = { concurrency: knobs.concurrency, ms: knobs.roundMs }
    const rounds = await interleave<Side>({
      bare: async (warmupMs, ms) => await measureLoad(bare.url + '/lookup', (n) => JSON.stringify({ customerId: customerId(n) }), { ...load, warmupMs, ms }),
      gateway: async (warmupMs, ms) => {
        const result: LoadResult = await measureLoad(gateway.url + '/v1/actions/bench-lookup/execute',
          (n) => JSON.stringify({ variables: { customerId: customerId(n) } }), { ...load, warmupMs, ms })
        // Every answered call ran one execution; the log is read after each window, before it can overflow.
        executions += result.warmupRequests + result.requests
        await statements.poll()
        return result
      }
    }, alternating<Side>(['bare', 'gateway']), { rounds: knobs.rounds, ms: knobs.roundMs, firstWarmupMs: knobs.firstWarmupMs, warmupMs: knobs.warmupMs })
    // Work left after the answers (cost reads, however they are batched) is done by the time the gateway has stopped.
    servers.pop()
    await gateway.stop()
    await statements.poll()

    console.table(Object.fromEntries(rounds.map((round, n) => [`round ${n + 1}`, {
      'gateway rps': rate(round.results.gateway.rps),
      'bare rps': rate(round.results.bare.rps),
      ratio: (round.results.gateway.rps / round.results.bare.rps).toFixed(2)
    }])))
    const perRun = statements.count / executions
    console.log(`  gateway statements: ${statements.count} for ${executions} executions (${perRun.toFixed(3)} each), by kind:`)
    for (const [kind, count] of statements.kinds()) console.log(`    ${(count / executions).toFixed(3)}  ${kind}`)

    const gatewaySummary = summarize(rounds.map((round) => round.results.gateway))
    const rps = roundRatios(rounds, 'gateway', 'bare', (r) => r.rps)
    const rows: TargetRow[] = []
    if (parts.execute) {
      rows.push({
        path: 'execute, cache off',
        baseline: `bare snowflake-sdk handler (pool ${POOL_SIZE}, same SQL and bind)`,
        gateway: loadFigure(gatewaySummary),
        baselineFigure: loadFigure(summarize(rounds.map((round) => round.results.bare))),
        ratio: formatSpread(rps),
        target: `>= ${RPS_TARGET.toFixed(2)} req/s`,
        met: rps.median >= RPS_TARGET
      })
    }
    if (parts.statements) {
      rows.push({
        path: 'statements per execution (cost reads included)',
        baseline: '-',
        gateway: `${statements.count} statements / ${executions} executions`,
        baselineFigure: '-',
        ratio: perRun.toFixed(3),
        target: `<= ${STATEMENTS_TARGET}`,
        met: perRun <= STATEMENTS_TARGET
      })
    }
    return rows
  } finally {
    for (const server of servers) await server.stop()
  }
}
