// The DuckDB instance and the Snowflake catalog on it: each Snowflake database is an attached in-memory DuckDB
// database with a PUBLIC schema. Every statement gets its own connection, so a session's concurrent statements
// never queue behind each other, and an abort interrupts only its own statement.
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api'
import { macroStatements } from './macros.js'
import { sqlIdent } from './lexer.js'

const SYSTEM_CATALOG = 'SF_SYSTEM'

/** The attached in-memory database holding one session's temporary tables; first on that session's search path. */
export const temporaryCatalog = (sessionId: number): string => `__SF_TEMP_${sessionId}`
const HIDDEN = new Set(['SF_SYSTEM', 'MEMORY', 'SYSTEM', 'TEMP'])

export class Database {
  /** Sessions that have a temporary catalog. */
  private readonly temporary = new Set<number>()

  private constructor (private readonly instance: DuckDBInstance, private readonly admin: DuckDBConnection) {}

  static async create (): Promise<Database> {
    const instance = await DuckDBInstance.create(':memory:')
    const admin = await instance.connect()
    // Snowflake sessions here run in UTC whatever the host's zone (ICU loads on first use, not in the config).
    await admin.run('SET GLOBAL TimeZone = \'UTC\'')
    // Snowflake sorts NULL as the highest value: last when ascending, first when descending.
    await admin.run('SET GLOBAL default_null_order = \'nulls_last_on_asc_first_on_desc\'')
    await admin.run(`ATTACH ':memory:' AS ${SYSTEM_CATALOG}`)
    await admin.run(`SET search_path = 'memory.main,${SYSTEM_CATALOG}.main'`)
    for (const m of macroStatements()) await admin.run(m)
    return new Database(instance, admin)
  }

  /** The attached database with this name, compared case-insensitively, as DuckDB spells it. */
  async findDatabase (conn: DuckDBConnection, name: string): Promise<string | null> {
    const r = await conn.runAndReadAll('SELECT database_name FROM duckdb_databases() WHERE upper(database_name) = upper($1)', [name])
    const found = r.getRows()[0]?.[0]
    return typeof found === 'string' && !HIDDEN.has(found.toUpperCase()) && !found.startsWith('__SF_TEMP_') ? found : null
  }

  async findSchema (conn: DuckDBConnection, database: string, schema: string): Promise<string | null> {
    const r = await conn.runAndReadAll(
      'SELECT schema_name FROM duckdb_schemas() WHERE database_name = $1 AND upper(schema_name) = upper($2)', [database, schema])
    const found = r.getRows()[0]?.[0]
    return typeof found === 'string' ? found : null
  }

  /** Returns false when the database existed and was kept (IF NOT EXISTS). */
  async createDatabase (conn: DuckDBConnection, name: string, replace: boolean): Promise<boolean> {
    const existing = await this.findDatabase(conn, name)
    if (existing !== null) {
      if (!replace) return false
      await conn.run(`DETACH ${sqlIdent(existing)}`)
    }
    await conn.run(`ATTACH ':memory:' AS ${sqlIdent(name)}`)
    await conn.run(`CREATE SCHEMA ${sqlIdent(name)}.PUBLIC`)
    return true
  }

  async dropDatabase (conn: DuckDBConnection, name: string): Promise<boolean> {
    const existing = await this.findDatabase(conn, name)
    if (existing === null) return false
    if (existing.toUpperCase() === (await this.currentDatabase(conn)).toUpperCase()) await conn.run('USE memory.main')
    await conn.run(`DETACH ${sqlIdent(existing)}`)
    return true
  }

  private async currentDatabase (conn: DuckDBConnection): Promise<string> {
    const r = await conn.runAndReadAll('SELECT current_database()')
    return String(r.getRows()[0]?.[0] ?? '')
  }

  /** The session's temporary catalog, attached on its first temporary table. */
  async ensureTemporary (conn: DuckDBConnection, sessionId: number): Promise<string> {
    const name = temporaryCatalog(sessionId)
    if (!this.temporary.has(sessionId)) {
      await conn.run(`ATTACH IF NOT EXISTS ':memory:' AS ${sqlIdent(name)}`)
      this.temporary.add(sessionId)
    }
    return name
  }

  /** The session ended: its temporary tables go with their catalog. */
  async dropTemporary (conn: DuckDBConnection, sessionId: number): Promise<void> {
    if (!this.temporary.delete(sessionId)) return
    await conn.run(`DETACH DATABASE IF EXISTS ${sqlIdent(temporaryCatalog(sessionId))}`)
  }

  /**
   * A connection whose unqualified names resolve in the session's temporary tables first (so one shadows a table of
   * the same name, as in Snowflake), then in database.schema; a missing database or schema leaves the empty default
   * catalog current, so unqualified tables are simply not found.
   */
  async connect (database: string | null, schema: string | null, sessionId?: number): Promise<DuckDBConnection> {
    const conn = await this.instance.connect()
    let path = 'memory.main'
    const db = database === null || database === '' ? null : await this.findDatabase(conn, database)
    if (db !== null) {
      const sc = await this.findSchema(conn, db, schema === null || schema === '' ? 'PUBLIC' : schema)
      if (sc !== null) {
        await conn.run(`USE ${sqlIdent(db)}.${sqlIdent(sc)}`)
        path = `${sqlIdent(db)}.${sqlIdent(sc)}`
      } else {
        await conn.run(`USE ${sqlIdent(db)}`)
        path = `${sqlIdent(db)}.main`
      }
    }
    if (sessionId !== undefined && this.temporary.has(sessionId)) path = `${sqlIdent(temporaryCatalog(sessionId))}.main,${path}`
    await conn.run(`SET search_path = '${(path + `,${SYSTEM_CATALOG}.main`).replace(/'/g, '\'\'')}'`)
    return conn
  }

  /** The admin connection, for start-up work such as demo data. */
  get adminConnection (): DuckDBConnection {
    return this.admin
  }

  close (): void {
    this.admin.closeSync()
    this.instance.closeSync()
  }
}
