// The emulator's SQL engine: Snowflake statements in, Snowflake-shaped results out, DuckDB underneath.
import type { Binding, Engine, QueryHistory, StatementContext, StatementResult } from './contract.js'
import { Database } from './database.js'
import { DEFAULT_BIG_TABLE_ROWS, DEMO_DATABASE, loadDemoData } from './demo-data.js'
import { mapError } from './errors.js'
import { StatementRunner } from './execute.js'
import { BoundedHistory } from './history.js'

export * from './contract.js'

export interface EngineOptions {
  /** Load ANALYTICS_DB demo tables at start. */
  demoData?: boolean
  /** Rows of ANALYTICS_DB.PUBLIC.INTERACTION_EVENTS (default 2,000,000). */
  bigTableRows?: number
  /** Query history entries kept (default 10,000; oldest dropped). */
  historyLimit?: number
}

class SqlEngine implements Engine {
  readonly history: QueryHistory
  private readonly runner: StatementRunner
  private closed = false

  constructor (private readonly db: Database, historyLimit: number) {
    this.history = new BoundedHistory(historyLimit)
    this.runner = new StatementRunner(db, this.history)
  }

  async execute (sqlText: string, bindings: Record<string, Binding> | null, ctx: StatementContext): Promise<StatementResult> {
    ctx.signal.throwIfAborted()
    if (this.closed) throw mapError(new Error('engine closed'))
    let conn
    try {
      conn = await this.db.connect(ctx.database, ctx.schema, ctx.sessionId)
    } catch (err) {
      throw mapError(err)
    }
    let repeat: NodeJS.Timeout | undefined
    const interrupt = (): void => {
      conn.interrupt()
      // DuckDB forgets an interrupt that lands between two of the statement's queries when the next one starts:
      // repeat it until the statement has stopped, or a cancelled statement may run unbounded.
      repeat = setInterval(() => conn.interrupt(), 50)
    }
    ctx.signal.addEventListener('abort', interrupt, { once: true })
    try {
      return await this.runner.run(conn, sqlText, bindings, ctx)
    } catch (err) {
      if (ctx.signal.aborted) throw ctx.signal.reason
      throw mapError(err)
    } finally {
      clearInterval(repeat)
      ctx.signal.removeEventListener('abort', interrupt)
      conn.closeSync()
    }
  }

  async endSession (sessionId: number): Promise<void> {
    if (this.closed) return
    await this.db.dropTemporary(this.db.adminConnection, sessionId)
  }

  async close (): Promise<void> {
    if (this.closed) return
    this.closed = true
    this.db.close()
  }
}

export async function createEngine (options: EngineOptions = {}): Promise<Engine> {
  const db = await Database.create()
  if (options.demoData === true) {
    const conn = db.adminConnection
    await db.createDatabase(conn, DEMO_DATABASE, false)
    await loadDemoData(conn, options.bigTableRows ?? DEFAULT_BIG_TABLE_ROWS)
  }
  return new SqlEngine(db, options.historyLimit ?? 10000)
}
