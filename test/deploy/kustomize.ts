import { readFile, stat } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { parseAllDocuments } from 'yaml'

export type Manifest = Record<string, unknown> & { apiVersion: string, kind: string, metadata: { name: string, namespace?: string, labels?: Record<string, string> } }

interface Kustomization {
  apiVersion?: string
  kind?: string
  namespace?: string
  resources?: string[]
  images?: Array<{ name: string, newName?: string, newTag?: string }>
  configMapGenerator?: Array<{ name: string, behavior?: string, options?: { disableNameSuffixHash?: boolean }, files?: string[] }>
  patches?: Array<{ path?: string }>
}

/** What this renderer does; a kustomization that uses more fails here rather than rendering something else. */
const understood = new Set(['apiVersion', 'kind', 'namespace', 'resources', 'images', 'configMapGenerator', 'patches'])

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value)

export async function readManifests (file: string): Promise<Manifest[]> {
  return parseAllDocuments(await readFile(file, 'utf8')).map((doc) => doc.toJS() as Manifest).filter(Boolean)
}

/**
 * Strategic merge as kustomize does it for what the overlays patch: maps are merged, lists of named items
 * (containers, env, volumes) are merged by name, other lists are replaced. (volumeMounts merge by mountPath in
 * Kubernetes: patch them whole.)
 */
export function strategicMerge (base: unknown, patch: unknown): unknown {
  if (isObject(base) && isObject(patch)) {
    const merged: Record<string, unknown> = { ...base }
    for (const [key, value] of Object.entries(patch)) merged[key] = key in base ? strategicMerge(base[key], value) : value
    return merged
  }
  const named = (list: unknown): list is Array<{ name: string }> => Array.isArray(list) && list.every((item) => isObject(item) && typeof item.name === 'string')
  if (named(base) && named(patch)) {
    // As kustomize orders them: the patch's items first, then the base's others.
    const patched = patch.map((change) => {
      const item = base.find((b) => b.name === change.name)
      return item ? strategicMerge(item, change) : change
    })
    return [...patched, ...base.filter((item) => !patch.some((p) => p.name === item.name))]
  }
  return patch
}

/**
 * Renders a kustomization offline, for the features this repository's kustomizations use (CI machines have no
 * kubectl); where kubectl is installed, the test compares this with `kubectl kustomize`.
 */
export async function renderKustomization (dir: string): Promise<Manifest[]> {
  const kustomization = (await readManifests(join(dir, 'kustomization.yaml')))[0] as unknown as Kustomization
  const unknown = Object.keys(kustomization).filter((key) => !understood.has(key))
  if (unknown.length > 0) throw new Error(`${dir}/kustomization.yaml uses ${unknown.join(', ')}, which the test's renderer does not know`)
  let manifests: Manifest[] = []
  for (const resource of kustomization.resources ?? []) {
    const path = join(dir, resource)
    manifests.push(...((await stat(path)).isDirectory() ? await renderKustomization(path) : await readManifests(path)))
  }
  for (const generator of kustomization.configMapGenerator ?? []) {
    if (generator.behavior !== 'replace' || generator.options?.disableNameSuffixHash !== true) {
      throw new Error(`${dir}: the test's renderer knows configMapGenerator only with behavior: replace and disableNameSuffixHash`)
    }
    const data: Record<string, string> = {}
    for (const file of generator.files ?? []) data[basename(file)] = await readFile(join(dir, file), 'utf8')
    manifests = manifests.map((m) => m.kind === 'ConfigMap' && m.metadata.name === generator.name ? { ...m, data } : m)
  }
  for (const { path } of kustomization.patches ?? []) {
    if (!path) throw new Error(`${dir}: the test's renderer knows patches from files only`)
    for (const patch of await readManifests(join(dir, path))) {
      const target = manifests.findIndex((m) => m.kind === patch.kind && m.metadata.name === patch.metadata.name)
      if (target < 0) throw new Error(`${join(dir, path)}: patches ${patch.kind} ${patch.metadata.name}, which the resources do not have`)
      manifests[target] = strategicMerge(manifests[target], patch) as Manifest
    }
  }
  for (const image of kustomization.images ?? []) {
    for (const container of podContainers(manifests)) {
      const [name, tag] = String(container.image).split(':')
      if (name === image.name) container.image = `${image.newName ?? name}:${image.newTag ?? tag}`
    }
  }
  if (kustomization.namespace) {
    manifests = manifests.map((m) => ({ ...m, metadata: { ...m.metadata, namespace: kustomization.namespace } }))
  }
  return manifests
}

export interface Container { name: string, image?: string, [key: string]: unknown }

function podContainers (manifests: Manifest[]): Container[] {
  return manifests.flatMap((m) => {
    const spec = (m.spec as { template?: { spec?: { containers?: Container[] } } } | undefined)?.template?.spec
    return spec?.containers ?? []
  })
}
