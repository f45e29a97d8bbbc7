import KeyvRedis from '@keyv/redis'
import type { Deadline, RedisConnection } from '../redis/redis-connection.js'
import type { RedisClient } from '../redis/redis-topology.js'
import { keyvOfStrings } from './keyv-strings.js'
import type { CacheStore } from './store.js'

const namespace = 'gw'

/**
 * Redis over the gateway's one connection, each call under its deadline and breaker: a call while Redis is
 * away, slow or skipped rejects, and the fail-open layer serves from the warehouse. Values go through keyv as
 * given (no JSON wrapping): a signed entry is read back byte for byte, in one GET. Locks, prefix deletes and
 * PING use the same client's own commands. Reads and locks get `reads`' deadline, writes the long one.
 */
export function redisStore (redis: RedisConnection, reads: Deadline = 'short'): CacheStore {
  const { client } = redis
  // The connection owns connecting; the adapter only issues commands.
  const adapter = new KeyvRedis(client, { throwOnConnectError: false, throwOnErrors: true })
  adapter.on('error', () => {})
  const keyv = keyvOfStrings(adapter, namespace)
  const fullKey = (key: string): string => `${namespace}::${key}`
  return {
    kind: 'redis',
    get: async (key) => await redis.call(async () => await keyv.get(key), reads) ?? undefined,
    getMany: async (keys) => (await redis.call(async () => await keyv.getMany(keys), reads)).map((value) => value ?? undefined),
    set: async (key, value, ttlMs) => {
      if (!await redis.call(async () => await keyv.set(key, value, ttlMs), 'long')) throw new Error('Redis did not store the entry')
    },
    setMany: async (entries, ttlMs) => {
      const replies = await redis.call(async () => {
        const pipeline = client.multi()
        for (const [key, value] of entries) pipeline.set(fullKey(key), value, { PX: ttlMs })
        return await pipeline.execAsPipeline()
      }, 'long')
      if (replies.some((reply) => String(reply) !== 'OK')) throw new Error('Redis did not store every entry')
    },
    delete: async (keys) => {
      if (keys.length > 0) await redis.call(async () => await keyv.deleteMany(keys), 'long')
    },
    deletePrefix: async (prefix) => {
      let deleted = 0
      // A Cluster spreads keys over its masters: each is scanned. One UNLINK per key, pipelined, as the keys of
      // a page may lie in different slots.
      for (const server of await redis.masters()) {
        let cursor = '0'
        do {
          const page = await redis.call(async () => await server.scan(cursor, { MATCH: `${fullKey(prefix)}*`, COUNT: 500 }), 'long')
          cursor = page.cursor
          if (page.keys.length > 0) deleted += await redis.call(async () => await unlinkEach(server, page.keys), 'long')
        } while (cursor !== '0')
      }
      return deleted
    },
    lock: async (key, ttlMs) => await redis.call(async () => await client.set(fullKey(key), '1', { NX: true, PX: ttlMs }), reads) === 'OK',
    unlock: async (key) => { await redis.call(async () => await client.del(fullKey(key)), 'long') },
    ping: async () => await redis.ping(),
    // The connection is the service's, shared with rate limits: it closes it.
    close: async () => {}
  }
}

async function unlinkEach (server: RedisClient, keys: string[]): Promise<number> {
  const pipeline = server.multi()
  for (const key of keys) pipeline.unlink(key)
  const replies = await pipeline.execAsPipeline()
  return replies.reduce<number>((sum, reply) => sum + Number(reply), 0)
}
