import t from 'tap'
import { ConfigError, loadConfig } from '../../src/config.js'
import { parseRedisUrl } from '../../src/redis/redis-url.js'

t.test('redis:// and rediss:// are one server, passed on as written', async (t) => {
  t.same(parseRedisUrl('redis://:pw@cache:6380/2'), { mode: 'server', url: 'redis://:pw@cache:6380/2' })
  t.same(parseRedisUrl('rediss://cache'), { mode: 'server', url: 'rediss://cache' })
})

t.test('a Sentinel URL lists the Sentinels, then names the master and the database', async (t) => {
  t.same(parseRedisUrl('redis+sentinel://s1:26380,s2,[::1]:26381/mymaster'), {
    mode: 'sentinel',
    masterName: 'mymaster',
    sentinels: [{ host: 's1', port: 26380 }, { host: 's2', port: 26379 }, { host: '::1', port: 26381 }],
    database: 0,
    auth: { tls: false },
    sentinelPassword: undefined
  })
  t.match(parseRedisUrl('rediss+sentinel://gw:p%40ss@s1/cache/3?sentinelPassword=s3cret'), {
    masterName: 'cache', database: 3, auth: { username: 'gw', password: 'p@ss', tls: true }, sentinelPassword: 's3cret'
  })
  t.match(parseRedisUrl('redis+sentinel://:pw@s1/m'), { auth: { username: undefined, password: 'pw' } })
})

t.test('a Cluster URL lists the nodes to start from', async (t) => {
  t.same(parseRedisUrl('redis+cluster://n1:7000,n2:7001,n3'), {
    mode: 'cluster', nodes: [{ host: 'n1', port: 7000 }, { host: 'n2', port: 7001 }, { host: 'n3', port: 6379 }], auth: { tls: false }
  })
})

t.test('a malformed URL is named in the configuration error, its password never', async (t) => {
  const wrong = {
    'redis+sentinel://s1:26379': /names the master/,
    'redis+sentinel://s1/m/zero': /database must be a number/,
    'redis+sentinel://:hunter2@s1:99999/m': /"s1:99999" is not host:port/,
    'redis+cluster://n1:7000/1': /no path/,
    'redis+cluster://:hunter2@': /expected redis:\/\//,
    'redis+cluster://:hunter2%zz@n1': /malformed %-escape/
  }
  for (const [url, problem] of Object.entries(wrong)) {
    const err = t.throws(() => loadConfig({ REDIS_URL: url }), ConfigError) as Error
    t.match(err.message, problem, url)
    t.notMatch(err.message, /hunter2/, 'no password in the message')
  }
  t.throws(() => loadConfig({ REDIS_URL: 'memcached://x' }), ConfigError)
  t.equal(loadConfig({ REDIS_URL: 'redis+cluster://n1:7000' }).redisUrl, 'redis+cluster://n1:7000')
})
