import KeyvRedis, { createClient } from '@keyv/redis'
import { keyvOfStrings } from './keyv-strings.js'
import type { CacheStore } from './store.js'

const namespace = 'gw'

/**
 * Redis, set up to fail fast rather than queue: with the offline queue off and bounded connect timeouts, a
 * call while Redis is away errors at once, and the client reconnects by itself. Values go through keyv as
 * given (no JSON wrapping): a signed entry is read back byte for byte, in one GET. Locks, prefix deletes and
 * PING use the same client's own commands.
 */
export function redisStore (url: string): CacheStore {
  const client = createClient({
    url,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: 1000,
      reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 2000)
    }
  })
  client.on('error', () => {})
  // The keyv adapter owns connecting (bounded, without throwing at start).
  const adapter = new KeyvRedis(client, { throwOnConnectError: false, throwOnErrors: true, connectionTimeout: 1000 })
  adapter.on('error', () => {})
  const keyv = keyvOfStrings(adapter, namespace)
  const connected = async (): Promise<typeof client> => {
    await adapter.getClient()
    return client
  }
  const fullKey = (key: string): string => `${namespace}::${key}`
  return {
    kind: 'redis',
    get: async (key) => await keyv.get(key) ?? undefined,
    getMany: async (keys) => (await keyv.getMany(keys)).map((value) => value ?? undefined),
    set: async (key, value, ttlMs) => {
      if (!await keyv.set(key, value, ttlMs)) throw new Error('Redis did not store the entry')
    },
    delete: async (keys) => {
      if (keys.length > 0) await keyv.deleteMany(keys)
    },
    deletePrefix: async (prefix) => {
      const client = await connected()
      let deleted = 0
      for await (const keys of client.scanIterator({ MATCH: `${fullKey(prefix)}*`, COUNT: 500 })) {
        if (keys.length > 0) deleted += await client.unlink(keys)
      }
      return deleted
    },
    lock: async (key, ttlMs) => {
      const client = await connected()
      return await client.set(fullKey(key), '1', { NX: true, PX: ttlMs }) === 'OK'
    },
    unlock: async (key) => {
      const client = await connected()
      await client.del(fullKey(key))
    },
    ping: async () => {
      const client = await connected()
      return await client.ping() === 'PONG'
    },
    close: async () => {
      await keyv.disconnect().catch(() => {})
    }
  }
}
