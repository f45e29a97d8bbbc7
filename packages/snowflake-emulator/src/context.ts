// What every handler needs, built once by startEmulator.
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Engine } from './engine/contract.js'
import type { Faults } from './faults.js'
import type { ResolvedOptions } from './options.js'
import type { SessionStore } from './sessions.js'
import type { Statements } from './statements.js'

export interface EmulatorContext {
  opts: ResolvedOptions
  engine: Engine
  sessions: SessionStore
  statements: Statements
  faults: Faults
}

export interface Request {
  raw: IncomingMessage
  method: string
  path: string
  query: URLSearchParams
  /** Parsed JSON body; undefined when there was none. */
  body: unknown
  /** The token of `Authorization: Snowflake Token="…"`. */
  token: string | undefined
  /** Where the client reached us, for absolute chunk URLs. */
  baseUrl: string
}

export type Handler = (ctx: EmulatorContext, req: Request, res: ServerResponse, params: string[]) => Promise<void>
