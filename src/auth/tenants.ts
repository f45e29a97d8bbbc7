import { createHash, timingSafeEqual } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { Ajv } from 'ajv'
import { parse as parseYaml } from 'yaml'

export interface Tenant {
  name: string
  admin: boolean
  /** Action ids this tenant may run; `*` allows all. */
  actions: string[]
  rateLimit?: { max: number, windowSeconds: number }
}

interface KeyEntry {
  id: string
  sha256: string
  revoked: boolean
}

interface TenantsFile {
  tenants: Array<Tenant & { keys: KeyEntry[] }>
}

const tenantsFileSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['tenants'],
  properties: {
    tenants: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'keys'],
        properties: {
          name: { type: 'string', pattern: '^[A-Za-z0-9_.-]{1,64}$' },
          admin: { type: 'boolean', default: false },
          actions: { type: 'array', items: { type: 'string' }, default: ['*'] },
          rateLimit: {
            type: 'object',
            additionalProperties: false,
            required: ['max'],
            properties: {
              max: { type: 'integer', minimum: 1 },
              windowSeconds: { type: 'integer', minimum: 1, default: 60 }
            }
          },
          keys: {
            type: 'array',
            minItems: 1,
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['id', 'sha256'],
              properties: {
                id: { type: 'string', minLength: 1, description: 'A label for logs; never the key itself' },
                sha256: { type: 'string', pattern: '^[0-9a-f]{64}$' },
                revoked: { type: 'boolean', default: false }
              }
            }
          }
        }
      }
    }
  }
}

const validateFile = new Ajv({ allErrors: true, useDefaults: true }).compile<TenantsFile>(tenantsFileSchema)

export type KeyCheck =
  | { status: 'ok', tenant: Tenant, keyId: string }
  | { status: 'unknown' }
  | { status: 'revoked', keyId: string }

export class TenantsFileError extends Error {}

/** The tenants and the SHA-256 of their API keys; only hashes are ever held. */
export class Tenants {
  readonly #keys: Array<{ hash: Buffer, entry: KeyEntry, tenant: Tenant }> = []

  constructor (file: TenantsFile) {
    for (const { keys, ...tenant } of file.tenants) {
      for (const entry of keys) this.#keys.push({ hash: Buffer.from(entry.sha256, 'hex'), entry, tenant })
    }
  }

  static async load (path: string): Promise<Tenants> {
    let raw: unknown
    try {
      raw = parseYaml(await readFile(path, 'utf8'))
    } catch (err) {
      throw new TenantsFileError(`${path}: ${(err as Error).message}`)
    }
    if (!validateFile(raw)) {
      throw new TenantsFileError(`${path}: ${(validateFile.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`).join('; ')}`)
    }
    return new Tenants(raw)
  }

  /** Every configured hash is compared, in constant time, whatever matches first. */
  check (presented: string): KeyCheck {
    const hash = createHash('sha256').update(presented).digest()
    let found: { entry: KeyEntry, tenant: Tenant } | undefined
    for (const candidate of this.#keys) {
      if (timingSafeEqual(hash, candidate.hash) && !found) found = candidate
    }
    if (!found) return { status: 'unknown' }
    if (found.entry.revoked) return { status: 'revoked', keyId: found.entry.id }
    return { status: 'ok', tenant: found.tenant, keyId: found.entry.id }
  }
}

export function mayRun (tenant: Tenant, actionId: string): boolean {
  return tenant.actions.includes('*') || tenant.actions.includes(actionId)
}

/** The tenant of demo mode (no API_KEYS_FILE): everything is open. */
export const openTenant: Tenant = { name: 'public', admin: true, actions: ['*'] }
