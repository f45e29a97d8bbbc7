// Shared set-up for engine tests: one engine per test file, statement contexts with fresh signals.
import type { Test } from 'tap'
import { createEngine, type EngineOptions } from '../../src/engine/index.js'
import type { Binding, Engine, StatementContext, StatementResult, WireRow } from '../../src/engine/contract.js'

let seq = 0

export function context (over: Partial<StatementContext> = {}): StatementContext {
  seq++
  return {
    queryId: `01b3a2c4-0001-4d2e-0000-${String(seq).padStart(12, '0')}`,
    sessionId: 1,
    database: 'TEST_DB',
    schema: 'PUBLIC',
    warehouse: 'WH',
    role: 'SYSADMIN',
    signal: new AbortController().signal,
    ...over
  }
}

export async function engineFor (t: Test, options: EngineOptions = {}): Promise<Engine> {
  const engine = await createEngine(options)
  t.teardown(() => engine.close())
  await engine.execute('CREATE DATABASE TEST_DB', null, context())
  return engine
}

export type Binds = Record<string, Binding>

/** Runs a statement and returns its result with all rows decoded. */
export async function run (engine: Engine, sql: string, binds: Binds | null = null, over: Partial<StatementContext> = {}): Promise<StatementResult & { all: WireRow[] }> {
  const result = await engine.execute(sql, binds, context(over))
  return Object.assign(result, { all: result.rows(0, result.rowCount) })
}
