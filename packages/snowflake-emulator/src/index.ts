// startEmulator: a Snowflake wire-protocol emulator the real snowflake-sdk can talk to, in-process.
import type { AddressInfo } from 'node:net'
import type { Engine } from './engine/contract.js'
import type { EmulatorContext } from './context.js'
import { createControls, type Controls } from './controls.js'
import { Faults } from './faults.js'
import { resolveOptions, type EmulatorOptions } from './options.js'
import { createEmulatorServer } from './server.js'
import { SessionStore } from './sessions.js'
import { Statements } from './statements.js'

export type { EmulatorOptions, EmulatorUser } from './options.js'
export type { Controls, EmulatorStats } from './controls.js'
export type { FaultSpec, FaultError } from './faults.js'
export type { Binding, Engine, HistoryEntry, QueryHistory, StatementContext, StatementResult } from './engine/contract.js'

export interface Emulator {
  /** http://host:port, to pass as the driver's `accessUrl`. */
  url: string
  port: number
  engine: Engine
  controls: Controls
  close (): Promise<void>
}

export async function startEmulator (options: EmulatorOptions = {}): Promise<Emulator> {
  const opts = resolveOptions(options)
  const ownEngine = options.engine === undefined
  const engine = options.engine ?? await defaultEngine(opts.demoData, opts.bigTableRows)
  const faults = new Faults()
  const ctx: EmulatorContext = {
    opts,
    engine,
    sessions: new SessionStore(opts.sessionTtlSeconds * 1000, opts.masterTtlSeconds * 1000,
      session => { engine.endSession?.(session.id).catch(() => undefined) }),
    statements: new Statements(engine, faults, opts),
    faults
  }
  const controls = createControls(ctx)
  const server = createEmulatorServer(ctx, controls)
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port, opts.host, () => { server.off('error', reject); resolve() })
  })
  const port = (server.address() as AddressInfo).port
  opts.port = port
  const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host

  let closing: Promise<void> | undefined
  const close = async (): Promise<void> => {
    closing ??= (async () => {
      const closed = new Promise<void>(resolve => server.close(() => resolve()))
      server.closeAllConnections()
      await ctx.statements.close()
      ctx.sessions.stop()
      await closed
      if (ownEngine) await engine.close()
    })()
    return await closing
  }
  return { url: `http://${host}:${port}`, port, engine, controls, close }
}

// Loaded on demand so an emulator given its own engine never loads DuckDB.
async function defaultEngine (demoData: boolean, bigTableRows: number | undefined): Promise<Engine> {
  const { createEngine } = await import('./engine/index.js')
  return await createEngine({ demoData, bigTableRows })
}
