import { createHash } from 'node:crypto'
import pino, { type Logger } from 'pino'
import { loadConfig } from '../src/config.js'
import { startEmulator, type Emulator, type EmulatorOptions } from 'snowflake-emulator'
import { createService, type Service } from '../src/service.js'

export interface Gateway {
  url: string
  service: Service
  post: (path: string, body: unknown, headers?: Record<string, string>) => Promise<Response>
  get: (path: string, headers?: Record<string, string>) => Promise<Response>
}

interface Teardown {
  teardown: (fn: () => Promise<void> | void) => void
}

/** One emulator per test file: demo data, test controls on. */
export async function emulator (t: Teardown, options: EmulatorOptions = {}): Promise<Emulator> {
  const started = await startEmulator({ controls: true, demoData: true, syncWaitMs: 5000, ...options })
  t.teardown(async () => await started.close())
  return started
}

/** A gateway over real HTTP on a free port, talking through snowflake-sdk to the given emulator. */
export async function gateway (t: Teardown, warehouse: Emulator, env: Record<string, string> = {}, logger?: Logger): Promise<Gateway> {
  const config = loadConfig({
    ACTIONS_DIR: 'test/fixtures/actions',
    SNOWFLAKE_ACCOUNT: 'TESTACCT',
    SNOWFLAKE_USER: 'gateway',
    SNOWFLAKE_AUTHENTICATOR: 'SNOWFLAKE',
    SNOWFLAKE_PASSWORD: 'test-password',
    SNOWFLAKE_ACCESS_URL: warehouse.url,
    SNOWFLAKE_WAREHOUSE: 'TEST_WH',
    SNOWFLAKE_DATABASE: 'ANALYTICS_DB',
    SNOWFLAKE_SCHEMA: 'PUBLIC',
    SNOWFLAKE_POOL_MIN: '0',
    SNOWFLAKE_POOL_MAX: '4',
    CURSOR_SECRET: 'test-cursor-secret-0123456789',
    // A test process also runs the emulator and heavy clients, whose work would count as the gateway's
    // event-loop delay; load shedding has tests of its own that set their limits.
    LOAD_MAX_EVENT_LOOP_DELAY_MS: '0',
    ...env
  })
  const service = await createService(config, { logger: logger ?? pino({ level: env.LOG_LEVEL ?? 'silent' }) })
  t.teardown(async () => await service.close())
  const url = await service.app.listen({ port: 0, host: '127.0.0.1' })
  return {
    url,
    service,
    post: async (path, body, headers = {}) => await fetch(url + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body)
    }),
    get: async (path, headers = {}) => await fetch(url + path, { headers })
  }
}

/** Resolves once `check` holds; throws when it still does not after `timeoutMs`, so a wait never hides a failure. */
export async function waitFor (check: () => boolean | Promise<boolean>, timeoutMs = 5000, intervalMs = 25): Promise<void> {
  const until = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`condition not met within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, intervalMs))
  }
}

export interface TenantSpec {
  name: string
  /** The tenant's one API key, in clear: the file holds its SHA-256. */
  key: string
  admin?: boolean
  actions?: string[]
}

/** An API_KEYS_FILE in the test's own directory; returns its path. */
export function tenantsFile (t: { testdir: (fixture: Record<string, string>) => string }, tenants: TenantSpec[]): string {
  const sha256 = (key: string): string => createHash('sha256').update(key).digest('hex')
  const yaml = ['tenants:', ...tenants.map((tenant) => [
    `  - name: ${tenant.name}`,
    ...(tenant.admin ? ['    admin: true'] : []),
    ...(tenant.actions ? [`    actions: [${tenant.actions.join(', ')}]`] : []),
    `    keys: [{ id: ${tenant.name}, sha256: ${sha256(tenant.key)} }]`
  ].join('\n'))].join('\n')
  return `${t.testdir({ 'tenants.yaml': yaml + '\n' })}/tenants.yaml`
}
