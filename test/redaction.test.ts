import { Writable } from 'node:stream'
import { pino } from 'pino'
import t from 'tap'
import { loggerOptions } from '../src/app.js'
import { inFlight, Redaction } from '../src/redaction.js'

const scrub = (text: string, ...values: string[]): string => Redaction.of(values)?.text(text) ?? text

t.test('nothing to hide builds nothing', async (t) => {
  t.equal(Redaction.of(null), null)
  t.equal(Redaction.of([]), null)
  t.equal(Redaction.of(['', '  ', '\n']), null, 'blank values hide nothing')
  t.equal(scrub('untouched text', 'absent'), 'untouched text')
})

t.test('overlapping, nested, crossing and adjacent values leave no part behind', async (t) => {
  t.equal(scrub("Numeric value 'TOPSECRET-1234-PIN' is not recognized", 'TOPSECRET', 'TOPSECRET-1234-PIN'),
    "Numeric value '[redacted]' is not recognized", 'the shorter value listed first')
  t.equal(scrub('a 1234-PIN-9 b', 'PIN', '1234-PIN-9'), 'a [redacted] b', 'one value inside another')
  t.equal(scrub('x ABC-XYZ-123 y', 'ABC-XYZ', 'XYZ-123'), 'x [redacted] y', 'two values crossing each other')
  t.equal(scrub('TOPSECRETTOPSECRET and TOPSECRET', 'TOPSECRET'), '[redacted] and [redacted]')
})

t.test('regular-expression characters, quotes and replacement patterns are taken literally', async (t) => {
  const value = 'O\'Brien "x" $1 $& (a+b)* [z] \\d{2} ^|.?'
  t.equal(scrub(`before ${value} after`, value), 'before [redacted] after')
  t.equal(scrub('a.b axb', 'a.b'), '[redacted] axb', 'a dot matches only a dot')
})

t.test('a value is found in each form messages give it', async (t) => {
  const value = 'line one\nit\'s "two"'
  t.equal(scrub(`raw '${value}'`, value), "raw '[redacted]'")
  t.equal(scrub(`json ${JSON.stringify({ v: value })}`, value), 'json {"v":"[redacted]"}', 'JSON-escaped')
  t.equal(scrub("sql 'line one\nit''s \"two\"'", value), "sql '[redacted]'", 'single quotes doubled')
  t.equal(scrub("cut at the line end: 'line one", value), "cut at the line end: '[redacted]", 'a message cut after the first line')
  t.equal(scrub('pin 12 ok\r\nsecret', '12\r\nsecret'), 'pin 12 ok\r\n[redacted]', 'lines shorter than three characters are not redacted alone')
})

t.test('values inside objects and errors are scrubbed; the originals are untouched', async (t) => {
  const redaction = Redaction.of(['hunter2']) as Redaction
  const details = { code: '002003', hint: 'hunter2?', list: ['x hunter2', 1, null], nested: { deep: 'hunter2' } }
  t.same(redaction.value(details), { code: '002003', hint: '[redacted]?', list: ['x [redacted]', 1, null], nested: { deep: '[redacted]' } })
  t.equal(details.hint, 'hunter2?')

  class OperationFailedError extends Error {
    code = '000606'
    data = { queryId: 'q-1', echo: 'hunter2' }
  }
  const error = new OperationFailedError('suspended for hunter2', { cause: new Error('because hunter2') })
  const copy = redaction.value(error)
  t.ok(copy instanceof OperationFailedError, 'the class is kept')
  t.equal(copy.message, 'suspended for [redacted]')
  t.notMatch(copy.stack, 'hunter2')
  t.equal((copy.cause as Error).message, 'because [redacted]')
  t.same(copy.data, { queryId: 'q-1', echo: '[redacted]' })
  t.equal(error.message, 'suspended for hunter2')

  const circular: Record<string, unknown> = { name: 'hunter2' }
  circular.self = circular
  const copied = redaction.value(circular)
  t.equal(copied.name, '[redacted]')
  t.equal(copied.self, copied, 'a cycle stays a cycle')
})

t.test('a scrubbed error logs like the error: same type, message, stack and fields, through pino', async (t) => {
  const lines: Array<Record<string, unknown>> = []
  const logger = pino(loggerOptions('info'), new Writable({
    write (chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>)
      done()
    }
  }))
  class OperationFailedError extends Error {
    code = '000606'
  }
  const redaction = Redaction.of(['hunter2']) as Redaction
  logger.warn({ err: redaction.value(new OperationFailedError('suspended for hunter2')) }, 'retrying')
  t.match(lines[0], { err: { type: 'OperationFailedError', message: 'suspended for [redacted]', stack: /^Error: suspended for \[redacted\]\n/, code: '000606' } })
})

t.test('values in flight are hidden from lines that belong to no request, until released', async (t) => {
  const first = Redaction.of(['alpha-secret']) as Redaction
  const second = Redaction.of(['beta-secret']) as Redaction
  inFlight.hold(first)
  inFlight.hold(second)
  inFlight.hold(first)
  t.equal(inFlight.text('alpha-secret and beta-secret'), '[redacted] and [redacted]')
  inFlight.release(first)
  t.equal(inFlight.text('alpha-secret'), '[redacted]', 'held twice, released once')
  inFlight.release(first)
  inFlight.release(first)
  inFlight.release(second)
  t.equal(inFlight.text('alpha-secret and beta-secret'), 'alpha-secret and beta-secret', 'a release too many does no harm')
})
