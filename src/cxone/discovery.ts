import type { CxoneConfig } from '../config.js'
import { DiscoveryInvalid, failure } from './errors.js'
import type { CxoneHttp } from './http.js'
import { retryAfterMs } from './retry-after.js'
import { Retryable } from './retry.js'

/** Discovery documents change when a tenant moves area: rare, but a process may run for weeks. */
const keepMs = 60 * 60 * 1000

interface Found {
  url: URL
  at: number
}

/**
 * Where the token endpoint and the tenant's API live: configured, or read from the issuer's discovery documents,
 * kept for an hour and forgotten when the host stops answering, so the next attempt reads them again.
 */
export class Discovery {
  readonly #config: CxoneConfig
  readonly #http: CxoneHttp
  readonly #found = new Map<'token' | 'api', Found>()
  readonly #reading = new Map<'token' | 'api', Promise<URL>>()

  constructor (config: CxoneConfig, http: CxoneHttp) {
    this.#config = config
    this.#http = http
  }

  async tokenEndpoint (): Promise<URL> {
    if (this.#config.tokenUrl) return new URL(this.#config.tokenUrl)
    return await this.#lookup('token', async () => {
      const doc = await this.#read('/.well-known/openid-configuration')
      return endpointIn(doc, 'token_endpoint', 'openid-configuration')
    })
  }

  async apiEndpoint (): Promise<URL> {
    if (this.#config.apiUrl) return new URL(this.#config.apiUrl)
    return await this.#lookup('api', async () => {
      const query = new URLSearchParams({ tenantId: this.#config.tenantId ?? '' })
      const doc = await this.#read(`/.well-known/cxone-configuration?${query.toString()}`)
      return endpointIn(doc, 'api_endpoint', 'cxone-configuration')
    })
  }

  /** The host found for `which` did not answer: read the document again next time. */
  forget (which: 'token' | 'api'): void {
    this.#found.delete(which)
  }

  async #lookup (which: 'token' | 'api', read: () => Promise<URL>): Promise<URL> {
    const found = this.#found.get(which)
    if (found && Date.now() - found.at < keepMs) return found.url
    // One read at a time, shared by every caller; a failure is not kept, so the next caller reads again.
    let reading = this.#reading.get(which)
    if (!reading) {
      reading = read().then((url) => {
        this.#found.set(which, { url, at: Date.now() })
        return url
      }).finally(() => this.#reading.delete(which))
      this.#reading.set(which, reading)
    }
    return await reading
  }

  async #read (path: string): Promise<unknown> {
    const issuer = this.#config.issuer ?? ''
    const url = new URL(issuer + path)
    // A single attempt, shared: the callers' own retries decide whether to try again.
    const reply = await this.#http.send(url, { method: 'GET', headers: { accept: 'application/json' }, deadline: Infinity })
    const name = path.slice('/.well-known/'.length).split('?')[0] ?? path
    if (reply.status === 429 || reply.status >= 500) {
      throw new Retryable(`discovery (${name}) answered HTTP ${reply.status}`, reply.status, retryAfterMs(reply.headers['retry-after']))
    }
    if (reply.status !== 200) throw failure(new DiscoveryInvalid(name, `answer (HTTP ${reply.status})`), 0, reply.status)
    try {
      return JSON.parse(reply.body) as unknown
    } catch {
      throw failure(new DiscoveryInvalid(name, 'JSON document'), 0, reply.status)
    }
  }
}

function endpointIn (doc: unknown, field: string, name: string): URL {
  const value = (doc as Record<string, unknown> | null)?.[field]
  if (typeof value === 'string' && /^https?:\/\//.test(value)) {
    try {
      return new URL(value.replace(/\/+$/, ''))
    } catch {}
  }
  throw failure(new DiscoveryInvalid(name, field), 0, 200)
}
