import { setTimeout as sleep } from 'node:timers/promises'
import { createClient, createCluster, createSentinel } from '@keyv/redis'
import type { RedisAuth, RedisTarget } from './redis-url.js'

export const connectTimeoutMs = 1000
const reconnectStrategy = (retries: number): number => Math.min(100 * 2 ** retries, 2000)
// Fail fast rather than queue: a command while a server is away rejects, and the caller goes on without Redis.
const nodeOptions = { disableOfflineQueue: true, socket: { connectTimeout: connectTimeoutMs, reconnectStrategy } }

function newServer (url: string) {
  return createClient({ url, ...nodeOptions })
}

function newSentinel (target: Extract<RedisTarget, { mode: 'sentinel' }>) {
  return createSentinel({
    name: target.masterName,
    sentinelRootNodes: target.sentinels,
    nodeClientOptions: { ...nodeOptions, ...credentials(target.auth), database: target.database, socket: { ...nodeOptions.socket, tls: target.auth.tls } },
    sentinelClientOptions: { ...nodeOptions, password: target.sentinelPassword },
    // Without a master named, its connect loop would give up for good after this many tries a second apart.
    maxCommandRediscovers: Number.MAX_SAFE_INTEGER
  })
}

function newCluster (target: Extract<RedisTarget, { mode: 'cluster' }>) {
  return createCluster({
    rootNodes: target.nodes.map(({ host, port }) => ({ socket: { host, port } })),
    defaults: { ...nodeOptions, ...credentials(target.auth), socket: { ...nodeOptions.socket, tls: target.auth.tls } }
  })
}

/** The node-redis client of either kind: the commands the stores send are the same on each. */
export type RedisClient = ReturnType<typeof newServer> | ReturnType<typeof newSentinel> | ReturnType<typeof newCluster>

/**
 * One server, a Sentinel-managed master or a Cluster behind one client, and what differs between them: how
 * connecting is retried, whether it is ready, and which servers a SCAN must visit to see every key.
 */
export interface RedisTopology {
  readonly client: RedisClient
  /** Connected: to the server, to the master Sentinel named, or to every master of the Cluster. */
  readonly isReady: boolean
  /** Resolves once connected; keeps trying until closed. */
  connect: () => Promise<void>
  /** The servers holding keys: each master of a Cluster, else the one the client talks to. */
  masters: () => Promise<RedisClient[]>
  close: () => Promise<void>
  destroy: () => Promise<void>
}

export function redisTopology (target: RedisTarget): RedisTopology {
  if (target.mode === 'cluster') return clusterTopology(newCluster(target))
  const client = target.mode === 'sentinel' ? newSentinel(target) : newServer(target.url)
  return {
    client,
    get isReady () { return client.isReady },
    // Both retry by themselves, the server client with the backoff above, the Sentinel client every second.
    connect: async () => { await client.connect() },
    masters: async () => [client],
    close: async () => { await client.close() },
    destroy: async () => { await client.destroy() }
  }
}

function clusterTopology (cluster: ReturnType<typeof newCluster>): RedisTopology {
  let closed = false
  return {
    client: cluster,
    get isReady () { return cluster.isOpen && cluster.masters.length > 0 && cluster.masters.every((master) => master.client?.isReady === true) },
    // A Cluster client gives up when no node answers at first; it is asked again until one does.
    connect: async () => {
      for (let retries = 0; !cluster.isOpen; retries++) {
        if (closed) throw new Error('Redis: closed while connecting')
        await cluster.connect().catch(async () => await sleep(reconnectStrategy(retries)))
      }
    },
    masters: async () => await Promise.all(cluster.masters.map(async (master) => await cluster.nodeClient(master))),
    close: async () => {
      closed = true
      await cluster.close()
    },
    destroy: async () => {
      closed = true
      await cluster.destroy()
    }
  }
}

function credentials ({ username, password }: RedisAuth): { username?: string, password?: string } {
  return { ...(username ? { username } : {}), ...(password ? { password } : {}) }
}
