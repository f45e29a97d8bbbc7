import KeyvRedis, { createClient } from '@keyv/redis'
import Keyv from 'keyv'
import type { CacheStore } from './store.js'

const namespace = 'gw'

/**
 * Redis behind keyv, set up to fail fast rather than queue: with the offline queue off and bounded
 * connect timeouts, a call while Redis is away errors at once, and the client reconnects by itself.
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
  const adapter = new KeyvRedis(client, { throwOnConnectError: false, throwOnErrors: true, connectionTimeout: 1000 })
  /** The adapter connects the client on first use; our own commands go through the same connection. */
  const connected = async (): Promise<typeof client> => {
    await adapter.getClient()
    return client
  }
  const keyv = new Keyv({
    store: adapter,
    namespace,
    useKeyPrefix: false,
    throwOnErrors: true,
    // Plain JSON: keyv's default reviver walks every value of a result on each read.
    serialize: JSON.stringify,
    deserialize: JSON.parse
  })
  // keyv re-emits store errors; without a listener an 'error' event would crash the process.
  keyv.on('error', () => {})
  adapter.on('error', () => {})
  const fullKey = (key: string): string => `${namespace}::${key}`
  return {
    kind: 'redis',
    get: async <T>(key: string) => await keyv.get<T>(key) ?? undefined,
    getMany: async <T>(keys: string[]) => (await keyv.getMany<T>(keys)).map((value) => value ?? undefined),
    set: async (key, value, ttlMs) => {
      if (!await keyv.set(key, value, ttlMs)) throw new Error('Redis did not store the entry')
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
