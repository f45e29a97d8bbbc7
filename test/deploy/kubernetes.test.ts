import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1'
import { Deployment } from 'kubernetes-models/apps/v1'
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2'
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1'
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1'
import { ConfigMap, Service } from 'kubernetes-models/v1'
import t from 'tap'
import { parseAllDocuments } from 'yaml'
import { checkActions } from '../../src/actions/load.js'
import { loadConfig } from '../../src/config.js'
import { emulator, gateway } from '../helper.js'
import { renderKustomization, type Manifest } from './kustomize.js'

const run = promisify(execFile)
const base = 'deploy/kubernetes/base'
const overlay = 'deploy/kubernetes/overlays/example'

/** The Kubernetes API's schemas, offline: each kind's model validates a manifest as the API server would. */
const models: Record<string, { validate: (manifest: Manifest) => void }> = Object.fromEntries(
  [Deployment, Service, ConfigMap, HorizontalPodAutoscaler, PodDisruptionBudget, NetworkPolicy, ServiceMonitor].map((Model) => [
    `${Model.apiVersion}/${Model.kind}`,
    { validate: (manifest: Manifest) => { new Model(manifest as never).validate() } }
  ]))

interface Probe { httpGet: { path: string, port: string | number }, periodSeconds?: number, timeoutSeconds?: number, failureThreshold?: number }
interface EnvVar { name: string, value?: string, valueFrom?: { secretKeyRef?: { name: string, key: string, optional?: boolean } } }
interface Container {
  name: string
  ports: Array<{ name: string, containerPort: number }>
  env: EnvVar[]
  envFrom: Array<{ configMapRef: { name: string } }>
  livenessProbe: Probe
  readinessProbe: Probe
  startupProbe?: Probe
  resources: { requests: Record<string, string>, limits: Record<string, string> }
  securityContext: Record<string, unknown> & { capabilities?: { drop?: string[] } }
  volumeMounts: Array<{ name: string, mountPath: string, subPath?: string }>
}
interface PodSpec {
  terminationGracePeriodSeconds: number
  securityContext: Record<string, unknown>
  containers: Container[]
  volumes: Array<{ name: string, configMap?: { name: string }, secret?: { secretName: string, items?: Array<{ key: string, path: string }> } }>
}

const one = (manifests: Manifest[], kind: string): Manifest & { spec: Record<string, unknown>, data?: Record<string, string> } => {
  const found = manifests.filter((m) => m.kind === kind)
  if (found.length !== 1) throw new Error(`expected one ${kind}, found ${found.length}`)
  return found[0] as Manifest & { spec: Record<string, unknown> }
}

/** The names the service reads from its environment: those loadConfig asks its source for. */
function namesTheServiceReads (): Set<string> {
  const read = new Set<string>()
  loadConfig(new Proxy({}, { get: (_target, name) => { if (typeof name === 'string') read.add(name) } }))
  return read
}

/** Stand-ins for the secrets a cluster would hold, each valid for its variable. */
const secretStandIns: Record<string, string> = {
  'gateway-secrets/cursor-secret': 'a-cursor-secret-of-32-characters',
  'gateway-secrets/metrics-token': 'a-metrics-token-of-32-characters',
  'gateway-secrets/redis-url': 'redis://redis:6379'
}

/** The container's environment as the pod would get it: the ConfigMap's, then its own (which win). */
function podEnvironment (manifests: Manifest[], container: Container): Record<string, string> {
  const env: Record<string, string> = {}
  for (const { configMapRef } of container.envFrom) {
    const map = manifests.find((m) => m.kind === 'ConfigMap' && m.metadata.name === configMapRef.name) as { data?: Record<string, string> } | undefined
    if (!map) throw new Error(`envFrom names ConfigMap ${configMapRef.name}, which is not among the manifests`)
    Object.assign(env, map.data)
  }
  for (const variable of container.env) {
    const ref = variable.valueFrom?.secretKeyRef
    if (ref) {
      const standIn = secretStandIns[`${ref.name}/${ref.key}`]
      if (standIn !== undefined) env[variable.name] = standIn
      else if (ref.optional !== true) throw new Error(`${variable.name}: no stand-in for secret ${ref.name}/${ref.key}`)
    } else {
      env[variable.name] = variable.value ?? ''
    }
  }
  return env
}

const bytes = (quantity: string): number => {
  const match = /^(\d+)(Ki|Mi|Gi)?$/.exec(quantity)
  if (!match) throw new Error(`unexpected quantity ${quantity}`)
  return Number(match[1]) * ({ Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3 }[match[2] ?? ''] ?? 1)
}

const warehouse = await emulator(t)
const gw = await gateway(t, warehouse, { METRICS_TOKEN: secretStandIns['gateway-secrets/metrics-token'] ?? '' })
const docs = await readFile('docs/operations.md', 'utf8')

for (const [name, dir] of [['base', base], ['example overlay', overlay]] as const) {
  t.test(`the ${name} (${dir})`, async (t) => {
    const manifests = await renderKustomization(dir)

    t.test('every manifest is valid against the Kubernetes API schemas, and no Secret carries a value', async (t) => {
      for (const manifest of manifests) {
        const model = models[`${manifest.apiVersion}/${manifest.kind}`]
        if (!model) {
          t.fail(`${manifest.kind} ${manifest.metadata.name}: no schema for ${manifest.apiVersion}`)
          continue
        }
        t.doesNotThrow(() => { model.validate(manifest) }, `${manifest.kind} ${manifest.metadata.name}`)
      }
      t.notOk(manifests.some((m) => m.kind === 'Secret'), 'Secrets are referenced, never shipped')
    })

    const deployment = one(manifests, 'Deployment')
    const pod = (deployment.spec as { template: { metadata: { labels: Record<string, string> }, spec: PodSpec } }).template
    const container = pod.spec.containers[0] as Container
    const env = podEnvironment(manifests, container)

    t.test('every environment name is one the service reads, and the values start it', async (t) => {
      const reads = namesTheServiceReads()
      // Read by Node itself, not by the gateway.
      const forNode = new Set(['NODE_OPTIONS'])
      for (const name of Object.keys(env)) t.ok(reads.has(name) || forNode.has(name), `${name} is read by the service`)
      t.doesNotThrow(() => loadConfig(env), 'loadConfig accepts the environment')
    })

    t.test('ports and probes are the ones the service answers on', async (t) => {
      const config = loadConfig(env)
      const http = container.ports.find((port) => port.name === 'http')
      t.equal(http?.containerPort, config.port, 'the container port is PORT')
      t.equal(config.host, '0.0.0.0', 'HOST listens beyond the pod')
      t.equal(container.livenessProbe.httpGet.path, '/health/live')
      t.equal(container.readinessProbe.httpGet.path, '/health/ready')
      for (const probe of [container.livenessProbe, container.readinessProbe, container.startupProbe]) {
        if (!probe) continue
        t.equal(probe.httpGet.port, 'http', `${probe.httpGet.path} goes to the http port`)
        t.equal((await gw.get(probe.httpGet.path)).status, 200, `a gateway answers ${probe.httpGet.path}`)
      }
      t.ok((container.readinessProbe.timeoutSeconds ?? 1) * 1000 > config.health.timeoutMs, 'the readiness probe waits longer than HEALTH_TIMEOUT_MS, so the gateway answers 503 itself')
      const service = one(manifests, 'Service').spec as { selector: Record<string, string>, ports: Array<{ name: string, targetPort: string }> }
      t.same(service.ports.map((port) => port.targetPort), ['http'], 'the Service sends to the http port')
      const monitor = one(manifests, 'ServiceMonitor').spec as { endpoints: Array<{ port: string, path: string, authorization: { credentials: { name: string, key: string } } }> }
      const scrape = monitor.endpoints[0]
      t.ok(service.ports.some((port) => port.name === scrape?.port), 'the ServiceMonitor scrapes a port of the Service')
      const token = secretStandIns[`${scrape?.authorization.credentials.name}/${scrape?.authorization.credentials.key}`]
      t.equal(token, env.METRICS_TOKEN, 'the ServiceMonitor sends the METRICS_TOKEN secret')
      t.equal((await gw.get(scrape?.path ?? '', { authorization: `Bearer ${token}` })).status, 200, 'a gateway answers the scrape with that token')
    })

    t.test('the pod is stopped no sooner than the gateway drains', async (t) => {
      const { shutdown, health } = loadConfig(env)
      t.ok(shutdown.delayMs > 0, 'SHUTDOWN_DELAY_MS is set: requests are still served while endpoints are updated')
      const readiness = container.readinessProbe
      t.ok(shutdown.delayMs >= (readiness.periodSeconds ?? 10) * (readiness.failureThreshold ?? 3) * 1000,
        'a balancer that follows readiness sees it fail within SHUTDOWN_DELAY_MS')
      t.ok(pod.spec.terminationGracePeriodSeconds * 1000 >= shutdown.delayMs + shutdown.graceMs + 10_000,
        'terminationGracePeriodSeconds covers delay + grace + the 10 s the gateway allows itself after them')
      t.ok(health.timeoutMs > 0)
    })

    t.test('non-root, read-only, bounded', async (t) => {
      t.equal(pod.spec.securityContext.runAsNonRoot, true)
      t.match(container.securityContext, { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } })
      t.ok(container.resources.requests.cpu && container.resources.requests.memory, 'requests')
      const limit = bytes(container.resources.limits.memory ?? '0')
      const heap = Number(/--max-old-space-size=(\d+)/.exec(env.NODE_OPTIONS ?? '')?.[1]) * 1024 ** 2
      t.ok(heap > 0 && heap < limit * 0.8, `Node's heap (${heap}) leaves room under the memory limit (${limit})`)
    })

    t.test('files the gateway reads are mounted where its settings point, from references only', async (t) => {
      const mountOf = (path: string): { volume: PodSpec['volumes'][number], file: string } | undefined => {
        const mount = container.volumeMounts.find((m) => path === m.mountPath || path.startsWith(`${m.mountPath}/`))
        const volume = pod.spec.volumes.find((v) => v.name === mount?.name)
        return mount && volume ? { volume, file: path.slice(mount.mountPath.length + 1) } : undefined
      }
      const actions = mountOf(env.ACTIONS_DIR ?? '')
      t.equal(actions?.file, '', 'ACTIONS_DIR is a mount point')
      t.equal(actions?.volume.configMap?.name, 'gateway-actions', 'of the actions ConfigMap')
      t.notOk(container.volumeMounts.some((m) => m.subPath), 'no subPath mount (it would never see a reload)')
      for (const variable of ['API_KEYS_FILE', 'SNOWFLAKE_PRIVATE_KEY_PATH']) {
        const mounted = mountOf(env[variable] ?? '')
        t.ok(mounted?.volume.secret, `${variable} is in a Secret volume`)
        const items = mounted?.volume.secret?.items
        if (items) t.ok(items.some((item) => item.path === mounted?.file), `${variable}'s file is one of the volume's items`)
      }
      const secrets = new Set<string>()
      for (const variable of container.env) {
        const ref = variable.valueFrom?.secretKeyRef
        if (ref) secrets.add(`${ref.name} ${ref.key}`)
      }
      for (const volume of pod.spec.volumes) {
        if (volume.secret) secrets.add(`${volume.secret.secretName} ${volume.secret.items?.map((item) => item.key).join(' ') ?? ''}`.trim())
      }
      for (const secret of secrets) {
        const [secretName, ...keys] = secret.split(' ')
        const row = docs.split('\n').find((line) => line.startsWith(`| \`${secretName}\``))
        t.ok(row, `docs/operations.md tells how to create ${secretName}`)
        for (const key of keys) t.match(row, `\`${key}\``, `and its key ${key}`)
      }
    })

    t.test('selectors and targets name the gateway\'s pods', async (t) => {
      const labels = pod.metadata.labels
      t.match(labels, (deployment.spec as { selector: { matchLabels: Record<string, string> } }).selector.matchLabels)
      for (const kind of ['Service', 'PodDisruptionBudget', 'NetworkPolicy', 'ServiceMonitor']) {
        const spec = one(manifests, kind).spec as { selector?: Record<string, string> & { matchLabels?: Record<string, string> }, podSelector?: { matchLabels: Record<string, string> } }
        const selector = spec.podSelector?.matchLabels ?? spec.selector?.matchLabels ?? spec.selector
        t.ok(selector && Object.keys(selector).length > 0, `${kind} selects something`)
        t.match(labels, selector, `${kind} selects the gateway's pods`)
      }
      const hpa = one(manifests, 'HorizontalPodAutoscaler').spec as { scaleTargetRef: { kind: string, name: string }, minReplicas: number }
      t.same(hpa.scaleTargetRef, { apiVersion: 'apps/v1', kind: 'Deployment', name: deployment.metadata.name })
      const pdb = one(manifests, 'PodDisruptionBudget').spec as { maxUnavailable: number }
      t.ok(hpa.minReplicas > pdb.maxUnavailable, 'a disruption always leaves a replica serving')
      const policy = one(manifests, 'NetworkPolicy').spec as { ingress: Array<{ ports: Array<{ port: string }> }> }
      t.same(policy.ingress.flatMap((rule) => rule.ports.map((port) => port.port)), ['http'], 'the NetworkPolicy lets HTTP in on the gateway\'s port only')
    })

    if (name === 'example overlay') {
      t.test('its action files are what `npm run actions:check` accepts', async (t) => {
        const actionsMap = manifests.find((m) => m.kind === 'ConfigMap' && m.metadata.name === 'gateway-actions') as { data?: Record<string, string> } | undefined
        const dir = t.testdir(actionsMap?.data ?? {})
        const { actions, problems } = await checkActions(dir)
        t.same(problems.map((p) => p.message), [])
        t.ok(actions.size > 0, 'the overlay ships at least one action')
      })
    }
  })
}

const kubectl = await run('kubectl', ['version', '--client']).then(() => true, () => false)
t.test('the renderer agrees with kubectl kustomize', {
  skip: kubectl ? false : 'kubectl is not installed: the kustomizations were rendered by the test\'s own renderer only'
}, async (t) => {
  for (const dir of [base, overlay]) {
    const { stdout } = await run('kubectl', ['kustomize', dir])
    const rendered = parseAllDocuments(stdout).map((doc) => doc.toJS() as Manifest)
    const ours = await renderKustomization(dir)
    const key = (m: Manifest): string => `${m.kind}/${m.metadata.name}`
    t.same(Object.fromEntries(ours.map((m) => [key(m), m])), Object.fromEntries(rendered.map((m) => [key(m), m])), dir)
  }
})

/** The models' TypeScript types, whose excess-property check finds fields the API does not define (a typo). */
const types: Record<string, [string, string]> = {
  'apps/v1/Deployment': ['IDeployment', 'kubernetes-models/apps/v1'],
  'v1/Service': ['IService', 'kubernetes-models/v1'],
  'v1/ConfigMap': ['IConfigMap', 'kubernetes-models/v1'],
  'autoscaling/v2/HorizontalPodAutoscaler': ['IHorizontalPodAutoscaler', 'kubernetes-models/autoscaling/v2'],
  'policy/v1/PodDisruptionBudget': ['IPodDisruptionBudget', 'kubernetes-models/policy/v1'],
  'networking.k8s.io/v1/NetworkPolicy': ['INetworkPolicy', 'kubernetes-models/networking.k8s.io/v1'],
  'monitoring.coreos.com/v1/ServiceMonitor': ['IServiceMonitor', '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1']
}

function typed (manifests: Manifest[]): string {
  const used = [...new Set(manifests.map((m) => `${m.apiVersion}/${m.kind}`))].map((kind) => types[kind] ?? ['unknown', kind])
  return [
    ...used.map(([name, module]) => `import type { ${name} } from '${module}'`),
    ...manifests.map((m, i) => `export const m${i}: ${types[`${m.apiVersion}/${m.kind}`]?.[0] ?? 'never'} = ${JSON.stringify(m)}`)
  ].join('\n') + '\n'
}

t.test('no manifest has a field the Kubernetes API does not define', async (t) => {
  const manifests = [...await renderKustomization(base), ...await renderKustomization(overlay)]
  const deployment = manifests.find((m) => m.kind === 'Deployment')
  // A control, so the check is seen to fail: one misspelt field.
  const misspelt = JSON.parse(JSON.stringify(deployment).replace('"readinessProbe"', '"readinesProbe"')) as Manifest
  const dir = t.testdir({ 'manifests.ts': typed(manifests), 'misspelt.ts': typed([misspelt]) })
  const tsc = await run(process.execPath, ['node_modules/typescript/bin/tsc', '--noEmit', '--strict', '--skipLibCheck', '--module', 'nodenext',
    '--moduleResolution', 'nodenext', '--target', 'es2022', join(dir, 'manifests.ts'), join(dir, 'misspelt.ts')]).then(() => '', (err: { stdout: string }) => err.stdout)
  const errors = tsc.split('\n').filter((line) => /error TS/.test(line))
  t.same(errors.filter((line) => !line.includes('misspelt.ts')), [], 'the manifests type-check against the API\'s types')
  t.match(errors.join('\n'), /misspelt\.ts.*readinesProbe\W* does not exist/, 'a misspelt field is found')
})
