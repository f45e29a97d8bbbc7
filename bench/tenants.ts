// A tenants file with one tenant and a fresh key, in a temp dir, in the README's format (the key stored as its
// SHA-256); `remove` deletes both.
import { createHash, randomBytes } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface BenchTenant { file: string, key: string, remove: () => Promise<void> }

export async function writeTenantsFile (): Promise<BenchTenant> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-tenants-'))
  const key = randomBytes(24).toString('base64url')
  const sha256 = createHash('sha256').update(key).digest('hex')
  const file = join(dir, 'tenants.yaml')
  await writeFile(file, `tenants:\n  - name: bench\n    keys:\n      - { id: bench-load, sha256: ${sha256} }\n`)
  return { file, key, remove: async () => { await rm(dir, { recursive: true, force: true }) } }
}
