import { Writable } from 'node:stream'
import Fastify from 'fastify'
import { pino } from 'pino'
import t from 'tap'
import { loggerOptions } from '../src/app.js'
import { LazyRequestLogger, lazyChildLogger } from '../src/request-logger.js'

function capture (level: string): { logger: pino.Logger, lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = []
  const logger = pino(loggerOptions(level), new Writable({
    write (chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>)
      done()
    }
  }))
  return { logger, lines }
}

t.test('below the level nothing is written; at it, one line with the bindings and redaction', async (t) => {
  const { logger, lines } = capture('warn')
  const log = new LazyRequestLogger(logger, { reqId: 'r-1' }, {})
  t.equal(log.level, 'warn')
  t.notOk(log.isLevelEnabled('info'))
  t.ok(log.isLevelEnabled('error'))
  log.info('not written')
  log.debug({ a: 1 }, 'not written either')
  t.same(lines, [])

  log.warn({ req: { headers: { authorization: 'Bearer secret' } } }, 'written')
  t.equal(lines.length, 1)
  t.match(lines[0], { level: 40, reqId: 'r-1', msg: 'written', req: { headers: { authorization: '[redacted]' } } })
  t.notMatch(JSON.stringify(lines), /secret/)
})

t.test('a level of its own (a route\'s logLevel) decides, not the parent\'s', async (t) => {
  const { logger, lines } = capture('warn')
  const log = new LazyRequestLogger(logger, { reqId: 'r-2' }, { level: 'debug' })
  t.equal(log.level, 'debug')
  t.ok(log.isLevelEnabled('debug'))
  t.notOk(log.isLevelEnabled('trace'))
  log.trace('not written')
  log.debug('written')
  t.match(lines, [{ level: 20, reqId: 'r-2', msg: 'written' }])
})

t.test('children and level changes go through a real child', async (t) => {
  const { logger, lines } = capture('info')
  const log = new LazyRequestLogger(logger, { reqId: 'r-3' }, {})
  log.child({ part: 'inner' }).info('from the child')
  log.level = 'error'
  log.warn('below the new level')
  log.error('at it')
  t.match(lines, [{ reqId: 'r-3', part: 'inner', msg: 'from the child' }, { reqId: 'r-3', msg: 'at it' }])
  t.equal(lines.length, 2)
})

t.test('as Fastify\'s child logger factory, request.log lines carry the request id', async (t) => {
  const { logger, lines } = capture('info')
  const app = Fastify({ loggerInstance: logger, childLoggerFactory: lazyChildLogger, disableRequestLogging: true })
  app.get('/', async (request) => {
    request.log.info('handled')
    return { id: request.id }
  })
  t.teardown(async () => { await app.close() })
  const res = await app.inject({ method: 'GET', url: '/' })
  t.match(lines, [{ reqId: res.json<{ id: string }>().id, msg: 'handled' }])
})
