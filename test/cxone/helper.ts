import { Writable } from 'node:stream'
import pino from 'pino'
import { loggerOptions } from '../../src/app.js'
import type { CxoneConfig } from '../../src/config.js'
import { CxoneClient } from '../../src/cxone/client.js'
import type { RetryPolicy } from '../../src/cxone/retry.js'
import type { LocalCxone } from './local-cxone.js'

interface Teardown {
  teardown: (fn: () => Promise<void> | void) => void
}

/** The client's configuration for a local CXone: its URLs given (`overrides`), or found by discovery. */
export function configFor (cxone: LocalCxone, how: 'overrides' | 'discovery' = 'overrides', extra: Partial<CxoneConfig> = {}): CxoneConfig {
  const where = how === 'overrides'
    ? { tokenUrl: `${cxone.url}/auth/token`, apiUrl: cxone.url }
    : { issuer: cxone.url, tenantId: cxone.tenantId }
  return {
    clientId: cxone.clientId,
    clientSecret: cxone.clientSecret,
    grant: cxone.grant,
    ...(cxone.grant === 'password' ? { accessKeyId: cxone.accessKeyId, accessKeySecret: cxone.accessKeySecret } : {}),
    apiVersion: 'v30.0',
    signalParams: 'query',
    timeoutMs: 2000,
    ...where,
    ...extra
  }
}

/** The service's own logger (its redact paths), at trace, writing every line into `lines`. */
export function capturedLogger (): { logger: pino.Logger, lines: string[] } {
  const lines: string[] = []
  const sink = new Writable({
    write (chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean))
      done()
    }
  })
  return { logger: pino(loggerOptions('trace'), sink), lines }
}

/** A client for one test, closed after it; retries fast unless told otherwise. */
export function client (t: Teardown, config: CxoneConfig, options: { logger?: pino.Logger, retry?: Partial<RetryPolicy> } = {}): CxoneClient {
  const made = new CxoneClient(config, options.logger ?? pino({ level: 'silent' }), { retry: { baseDelayMs: 20, maxDelayMs: 100, ...options.retry } })
  t.teardown(async () => await made.close())
  return made
}

export const inSeconds = (seconds: number): number => Date.now() + seconds * 1000

/** A gateway's CXONE_* environment for a local CXone, by its URLs and credentials. */
export function gatewayEnvFor (cxone: LocalCxone): Record<string, string> {
  return {
    CXONE_TOKEN_URL: `${cxone.url}/auth/token`,
    CXONE_API_URL: cxone.url,
    CXONE_CLIENT_ID: cxone.clientId,
    CXONE_CLIENT_SECRET: cxone.clientSecret,
    CXONE_ACCESS_KEY_ID: cxone.accessKeyId,
    CXONE_ACCESS_KEY_SECRET: cxone.accessKeySecret
  }
}
