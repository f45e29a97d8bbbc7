/** A host and port of a Sentinel or a Cluster node. */
export interface RedisNode {
  host: string
  port: number
}

/** Credentials and TLS for the Redis servers that hold the data (not the Sentinels). */
export interface RedisAuth {
  username?: string
  password?: string
  tls: boolean
}

/** Which Redis `REDIS_URL` names: one server, a Sentinel-managed master, or a Cluster. */
export type RedisTarget =
  | { mode: 'server', url: string }
  | { mode: 'sentinel', masterName: string, sentinels: RedisNode[], database: number, auth: RedisAuth, sentinelPassword?: string }
  | { mode: 'cluster', nodes: RedisNode[], auth: RedisAuth }

export class RedisUrlError extends Error {}

const multiHost = /^(?<scheme>rediss?)\+(?<mode>sentinel|cluster):\/\/(?:(?<userinfo>[^@/]*)@)?(?<hosts>[^/?#@]+)(?<path>\/[^?#]*)?(?:\?(?<query>[^#]*))?$/
const defaultPorts = { sentinel: 26379, cluster: 6379 }

/**
 * Reads `REDIS_URL`: `redis[s]://…` is one server (node-redis's own form);
 * `redis[s]+sentinel://[user:pw@]h1:26379,h2:26379/<master>[/<db>][?sentinelPassword=…]` asks the Sentinels for
 * the master; `redis[s]+cluster://[user:pw@]h1:6379,h2:6379` starts from those Cluster nodes. Credentials and
 * `rediss` are for the servers holding data; Sentinels get `sentinelPassword` alone.
 */
export function parseRedisUrl (url: string): RedisTarget {
  if (/^rediss?:\/\//.test(url)) return { mode: 'server', url }
  const { scheme, mode, userinfo, hosts = '', path = '', query = '' } = multiHost.exec(url)?.groups ?? {}
  if (mode !== 'sentinel' && mode !== 'cluster') throw new RedisUrlError('expected redis://, rediss://, redis+sentinel://host:port,…/master or redis+cluster://host:port,…')
  const nodes = hosts.split(',').map((host) => nodeOf(host, defaultPorts[mode]))
  const auth = authOf(userinfo, scheme === 'rediss')
  const segments = path.split('/').filter(Boolean).map(decoded)
  const params = new URLSearchParams(query)
  if (mode === 'cluster') {
    if (segments.length > 0) throw new RedisUrlError('a Cluster URL has no path: a Cluster has database 0 only')
    return { mode, nodes, auth }
  }
  const [masterName, db = '0', ...rest] = segments
  if (!masterName || rest.length > 0) throw new RedisUrlError('a Sentinel URL names the master after the hosts: redis+sentinel://host:26379/mymaster[/db]')
  if (!/^\d+$/.test(db)) throw new RedisUrlError(`the database must be a number, not "${db}"`)
  return { mode, masterName, sentinels: nodes, database: Number(db), auth, sentinelPassword: params.get('sentinelPassword') ?? undefined }
}

function nodeOf (text: string, defaultPort: number): RedisNode {
  // `host:26379`, `host` or `[::1]:26379`.
  const [, ipv6, name, port = String(defaultPort)] = /^(?:\[([^\]]+)\]|([^:[\]]+))(?::(\d+))?$/.exec(text) ?? []
  const host = ipv6 ?? name
  if (!host || Number(port) < 1 || Number(port) > 65535) throw new RedisUrlError(`"${text}" is not host:port`)
  return { host, port: Number(port) }
}

function authOf (userinfo: string | undefined, tls: boolean): RedisAuth {
  if (!userinfo) return { tls }
  const colon = userinfo.indexOf(':')
  // `:password` (no user) is the classic AUTH form, as in redis://:password@host.
  const username = decoded(colon < 0 ? userinfo : userinfo.slice(0, colon)) || undefined
  const password = colon < 0 ? undefined : decoded(userinfo.slice(colon + 1))
  return { username, password, tls }
}

function decoded (text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    // Not the text itself: it may be the password.
    throw new RedisUrlError('a malformed %-escape')
  }
}
