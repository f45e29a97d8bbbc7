// Starts an in-process emulator for a test file and connects the real snowflake-sdk to it.
import './driver-env.js'
import snowflake, { type Binds, type Connection, type ConnectionOptions, type RowStatement, type StatementOption } from 'snowflake-sdk'
import type { Test } from 'tap'
import { startEmulator, type Emulator, type EmulatorOptions } from '../src/index.js'

snowflake.configure({ logLevel: 'OFF', disableOCSPChecks: true, useEnvProxy: false })

export { snowflake }
export type Row = Record<string, unknown>

export interface Harness {
  readonly emulator: Emulator
  options (extra?: Partial<ConnectionOptions>): ConnectionOptions
  connect (extra?: Partial<ConnectionOptions>): Promise<Connection>
}

/** One emulator for the whole test file, closed (with every connection made here) at teardown. */
export function useEmulator (t: Test, options: EmulatorOptions = {}): Harness {
  let emulator: Emulator | undefined
  const connections: Connection[] = []
  t.before(async () => { emulator = await startEmulator({ controls: true, syncWaitMs: 300, demoData: false, ...options }) })
  t.teardown(async () => {
    await Promise.all(connections.map(destroy))
    await emulator?.close()
  })
  const harness: Harness = {
    get emulator () {
      if (emulator === undefined) throw new Error('emulator not started yet')
      return emulator
    },
    options (extra = {}) {
      return {
        accessUrl: harness.emulator.url,
        account: 'TESTACCT',
        username: 'alice',
        password: 'secret',
        warehouse: 'COMPUTE_WH',
        database: 'DEMO',
        schema: 'PUBLIC',
        role: 'SYSADMIN',
        sfRetryMaxLoginRetries: 0,
        ...extra
      }
    },
    async connect (extra = {}) {
      const conn = await connectWith(harness.options(extra))
      connections.push(conn)
      return conn
    }
  }
  return harness
}

export interface Outcome { rows: Row[], stmt: RowStatement }

/** Executes and collects rows through `complete`. */
export async function exec (conn: Connection, sqlText: string, binds?: Binds, extra: Partial<StatementOption> = {}): Promise<Outcome> {
  return await new Promise((resolve, reject) => {
    conn.execute({
      sqlText,
      ...(binds === undefined ? {} : { binds }),
      ...extra,
      complete: (err, stmt, rows) => {
        if (err !== undefined && err !== null) reject(err)
        else resolve({ rows: (rows ?? []) as Row[], stmt: stmt as RowStatement })
      }
    })
  })
}

/** Every row a statement streams (streamResult or a result fetched by query id); rejects on a stream error. */
export async function collect (stmt: RowStatement): Promise<Row[]> {
  return await new Promise((resolve, reject) => {
    const rows: Row[] = []
    stmt.streamRows().on('data', (r: Row) => rows.push(r)).on('end', () => resolve(rows)).on('error', reject)
  })
}

export interface DriverError extends Error { code?: string | number, sqlState?: string, data?: { queryId?: string } }

/** The error a statement ends with; fails the test if it succeeds. */
export async function execError (conn: Connection, sqlText: string, binds?: Binds, extra: Partial<StatementOption> = {}): Promise<DriverError> {
  try {
    await exec(conn, sqlText, binds, extra)
  } catch (err) {
    return err as DriverError
  }
  throw new Error(`expected "${sqlText}" to fail`)
}

/** Logs in; rejects with the driver's error (connectAsync does not reject on every failure). */
export async function connectWith (options: ConnectionOptions): Promise<Connection> {
  const conn = snowflake.createConnection(options)
  return await new Promise((resolve, reject) => {
    conn.connect((err) => { if (err !== undefined && err !== null) reject(err); else resolve(conn) })
  })
}

export async function destroy (conn: Connection): Promise<void> {
  await new Promise<void>(resolve => conn.destroy(() => resolve()))
}

export interface WireEnvelope { success: boolean, code: string | null, message: string | null, data: Record<string, unknown> | null }

/** A bare HTTP client speaking the wire protocol, for what the driver hides (ids, retries). */
export class RawClient {
  token = ''
  constructor (readonly url: string) {}

  async login (user = 'alice', password = 'secret'): Promise<WireEnvelope> {
    const body = await this.post('/session/v1/login-request?warehouse=WH&databaseName=DEMO&schemaName=PUBLIC', {
      data: { ACCOUNT_NAME: 'TESTACCT', LOGIN_NAME: user, PASSWORD: password }
    })
    if (body.success) this.token = String(body.data?.token)
    return body
  }

  async query (sqlText: string, requestId: string, extra: Record<string, unknown> = {}): Promise<WireEnvelope> {
    return await this.post(`/queries/v1/query-request?requestId=${requestId}`, { sqlText, ...extra })
  }

  async post (path: string, body: unknown): Promise<WireEnvelope> {
    const res = await fetch(`${this.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Snowflake Token="${this.token}"` },
      body: JSON.stringify(body)
    })
    return await res.json() as WireEnvelope
  }

  async get (path: string): Promise<WireEnvelope> {
    const res = await fetch(`${this.url}${path}`, { headers: { authorization: `Snowflake Token="${this.token}"` } })
    return await res.json() as WireEnvelope
  }
}

export interface SpawnedEmulator { url: string, close: () => Promise<void> }

/** Runs the standalone emulator (cli.ts) in a child process, so this process's memory is the client's. */
export async function spawnEmulator (args: string[] = []): Promise<SpawnedEmulator> {
  const { spawn } = await import('node:child_process')
  const { fileURLToPath } = await import('node:url')
  const root = fileURLToPath(new URL('../', import.meta.url))
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', '--port', '0', ...args], {
    cwd: root, stdio: ['ignore', 'pipe', 'inherit']
  })
  const url = await new Promise<string>((resolve, reject) => {
    let out = ''
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString()
      const line = out.split('\n')[0]
      if (out.includes('\n') && line !== undefined) resolve(line.trim())
    })
    child.once('exit', code => reject(new Error(`emulator exited with ${String(code)}`)))
  })
  return {
    url,
    close: async () => {
      if (child.exitCode !== null) return
      const exited = new Promise(resolve => child.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
    }
  }
}
