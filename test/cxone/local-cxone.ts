import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** One request to the signal endpoint, as the local CXone saw it. */
export interface SignalCall {
  at: number
  version: string
  contactId: string
  /** p1…p9 wherever they came (query string, JSON body). */
  params: Record<string, string>
  query: Record<string, string>
  body: Record<string, unknown> | undefined
  /** What the local CXone answered. */
  status: number
}

export interface TokenCall {
  at: number
  grant: string | null
  status: number
}

type FaultName = 'token' | 'signal' | 'discovery' | 'unauthorized' | 'garbled'

/** A fault armed for the next `times` requests to an endpoint. */
interface Fault {
  times: number
  status: number
  retryAfter?: string
}

export interface LocalCxoneOptions {
  tenantId?: string
  clientId?: string
  clientSecret?: string
  accessKeyId?: string
  accessKeySecret?: string
  /** `password` (default) or `client_credentials`: the grant the token endpoint accepts. */
  grant?: 'password' | 'client_credentials'
  expiresIn?: number
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers })
  res.end(body === undefined ? '' : JSON.stringify(body))
}

async function readBody (req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

const sleep = async (ms: number): Promise<void> => { await new Promise((resolve) => setTimeout(resolve, ms)) }

/**
 * A CXone for tests, in-process on a free port: both discovery documents, the token endpoint and the
 * interactions signal endpoint. Tokens expire for real. Every control is a property or method here.
 */
export class LocalCxone {
  readonly tenantId: string
  readonly clientId: string
  readonly clientSecret: string
  readonly accessKeyId: string
  readonly accessKeySecret: string
  readonly grant: 'password' | 'client_credentials'
  /** `expires_in` of the tokens issued from now on, in seconds. */
  expiresIn: number
  /** Answer discovery with these API endpoints first, one per request, then with this server's own URL. */
  readonly apiEndpoints: string[] = []
  /** Token responses leave out `expires_in`. */
  omitExpiresIn = false
  /** Milliseconds each signal (token) request waits before it is answered. */
  signalDelayMs = 0
  tokenDelayMs = 0

  readonly counts = { openid: 0, cxoneConfiguration: 0, token: 0, signal: 0 }
  readonly tokenCalls: TokenCall[] = []
  readonly signals: SignalCall[] = []
  /** Every token issued, for checks that none of them shows up where it must not. */
  readonly issued: string[] = []

  readonly #tokens = new Map<string, number>()
  readonly #faults: Record<FaultName, Fault> = {
    token: { times: 0, status: 0 },
    signal: { times: 0, status: 0 },
    discovery: { times: 0, status: 0 },
    unauthorized: { times: 0, status: 401 },
    garbled: { times: 0, status: 200 }
  }

  readonly #server = createServer((req, res) => {
    this.#handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) json(res, 500, { error: 'local_cxone_failed', message: String(error) })
    })
  })

  url = ''

  constructor (options: LocalCxoneOptions = {}) {
    this.tenantId = options.tenantId ?? '11eb0358-0000-4000-8000-00000000c0de'
    this.clientId = options.clientId ?? 'gateway-app@tenant'
    this.clientSecret = options.clientSecret ?? 'cs-' + randomBytes(12).toString('hex')
    this.accessKeyId = options.accessKeyId ?? 'AK' + randomBytes(8).toString('hex').toUpperCase()
    this.accessKeySecret = options.accessKeySecret ?? 'aks-' + randomBytes(12).toString('hex')
    this.grant = options.grant ?? 'password'
    this.expiresIn = options.expiresIn ?? 3600
  }

  async start (): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve))
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`
    return this
  }

  async close (): Promise<void> {
    this.#server.closeAllConnections()
    await new Promise<void>((resolve) => this.#server.close(() => { resolve() }))
  }

  /** The next `times` token requests get `status` (429 by default), with Retry-After when given. */
  failTokens (times: number, status = 429, retryAfter?: string): void {
    this.#faults.token = { times, status, retryAfter }
  }

  /** The next `times` signals get `status` (503 by default), with Retry-After when given. */
  failSignals (times: number, status = 503, retryAfter?: string): void {
    this.#faults.signal = { times, status, retryAfter }
  }

  /** The next `times` signals get 401 whatever their token. */
  rejectSignals (times: number): void {
    this.#faults.unauthorized = { times, status: 401 }
  }

  /** The next `times` token requests get a real token in a body that is not JSON. */
  garbleTokens (times: number): void {
    this.#faults.garbled = { times, status: 200 }
  }

  /** The next `times` discovery requests get `status`. */
  failDiscovery (times: number, status = 503): void {
    this.#faults.discovery = { times, status }
  }

  /** Every token issued so far stops being accepted, as if its time were up. */
  expireTokens (): void {
    for (const token of this.#tokens.keys()) this.#tokens.set(token, 0)
  }

  /** Signals CXone accepted. */
  get delivered (): SignalCall[] {
    return this.signals.filter((call) => call.status === 202)
  }

  #fault (name: FaultName): Fault | undefined {
    const fault = this.#faults[name]
    if (fault.times <= 0) return undefined
    fault.times--
    return fault
  }

  async #handle (req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url)
    if (req.method === 'GET' && url.pathname === '/.well-known/openid-configuration') {
      this.counts.openid++
      const fault = this.#fault('discovery')
      if (fault) return json(res, fault.status, { error: 'unavailable' })
      return json(res, 200, { issuer: this.url, token_endpoint: `${this.url}/auth/token`, jwks_uri: `${this.url}/auth/jwks` })
    }
    if (req.method === 'GET' && url.pathname === '/.well-known/cxone-configuration') {
      this.counts.cxoneConfiguration++
      const fault = this.#fault('discovery')
      if (fault) return json(res, fault.status, { error: 'unavailable' })
      if (url.searchParams.get('tenantId') !== this.tenantId) return json(res, 404, { error: 'tenant_not_found' })
      return json(res, 200, { tenantId: this.tenantId, area: 'na1', api_endpoint: this.apiEndpoints.shift() ?? this.url, ui_endpoint: this.url })
    }
    if (req.method === 'POST' && url.pathname === '/auth/token') return await this.#token(req, res)
    const signal = /^\/incontactapi\/services\/(v\d+\.\d+)\/interactions\/([^/]+)\/signal$/.exec(url.pathname)
    if (req.method === 'POST' && signal) return await this.#signal(req, res, url, signal[1] ?? '', signal[2] ?? '')
    json(res, 404, { error: 'not_found' })
  }

  async #token (req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.counts.token++
    const form = new URLSearchParams(await readBody(req))
    const call: TokenCall = { at: Date.now(), grant: form.get('grant_type'), status: 200 }
    this.tokenCalls.push(call)
    const answer = (status: number, body: unknown, headers?: Record<string, string>): void => {
      call.status = status
      json(res, status, body, headers)
    }
    if (this.tokenDelayMs > 0) await sleep(this.tokenDelayMs)
    const fault = this.#fault('token')
    if (fault) return answer(fault.status, { error: 'temporarily_unavailable' }, fault.retryAfter === undefined ? {} : { 'retry-after': fault.retryAfter })
    const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1]
    const [id, ...rest] = Buffer.from(basic ?? '', 'base64').toString('utf8').split(':')
    if (id !== this.clientId || rest.join(':') !== this.clientSecret) return answer(401, { error: 'invalid_client' })
    if (call.grant !== this.grant) return answer(400, { error: 'unsupported_grant_type' })
    if (this.grant === 'password' && (form.get('username') !== this.accessKeyId || form.get('password') !== this.accessKeySecret)) {
      return answer(400, { error: 'invalid_grant' })
    }
    const token = 'at-' + randomBytes(24).toString('base64url')
    this.#tokens.set(token, Date.now() + this.expiresIn * 1000)
    this.issued.push(token)
    if (this.#fault('garbled')) {
      call.status = 200
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(`access_token=${token}&expires_in=${this.expiresIn}`)
      return
    }
    answer(200, { access_token: token, token_type: 'bearer', expires_in: this.omitExpiresIn ? undefined : this.expiresIn, refresh_token: 'rt-' + randomBytes(16).toString('hex'), scope: 'RealTimeApi AdminApi' })
  }

  async #signal (req: IncomingMessage, res: ServerResponse, url: URL, version: string, contactId: string): Promise<void> {
    this.counts.signal++
    const text = await readBody(req)
    let body: Record<string, unknown> | undefined
    if (text) {
      try {
        body = JSON.parse(text) as Record<string, unknown>
      } catch {
        return json(res, 400, { error: 'body is not JSON' })
      }
    }
    const query = Object.fromEntries(url.searchParams)
    const params: Record<string, string> = {}
    for (const [name, value] of [...Object.entries(query), ...Object.entries(body ?? {})]) {
      if (/^p[1-9]$/.test(name)) params[name] = String(value)
    }
    const call: SignalCall = { at: Date.now(), version, contactId, params, query, body, status: 202 }
    this.signals.push(call)
    const answer = (status: number, payload: unknown, headers?: Record<string, string>): void => {
      call.status = status
      json(res, status, payload, headers)
    }
    if (this.signalDelayMs > 0) await sleep(this.signalDelayMs)
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? ''
    const expiresAt = this.#tokens.get(token)
    if (expiresAt === undefined || expiresAt <= Date.now()) return answer(401, { error: 'invalid_token' })
    if (this.#fault('unauthorized')) return answer(401, { error: 'invalid_token' })
    const fault = this.#fault('signal')
    if (fault) return answer(fault.status, { error: 'unavailable' }, fault.retryAfter === undefined ? {} : { 'retry-after': fault.retryAfter })
    if (!/^\d+$/.test(contactId)) return answer(400, { error: 'invalid contactId' })
    answer(202, undefined)
  }
}

/** A local CXone for one test, closed after it. */
export async function localCxone (t: { teardown: (fn: () => Promise<void>) => void }, options: LocalCxoneOptions = {}): Promise<LocalCxone> {
  const cxone = await new LocalCxone(options).start()
  t.teardown(async () => await cxone.close())
  return cxone
}
