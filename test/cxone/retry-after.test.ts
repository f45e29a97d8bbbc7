import t from 'tap'
import { retryAfterMs } from '../../src/cxone/retry-after.js'
import { Retryable, delayFor, defaultRetryPolicy } from '../../src/cxone/retry.js'

t.test('Retry-After in seconds or as an HTTP date', async (t) => {
  const now = Date.parse('Wed, 02 Dec 2026 10:00:00 GMT')
  t.equal(retryAfterMs('0', now), 0)
  t.equal(retryAfterMs('120', now), 120_000)
  t.equal(retryAfterMs(' 3 ', now), 3000)
  t.equal(retryAfterMs(['2', '9'], now), 2000)
  t.equal(retryAfterMs('Wed, 02 Dec 2026 10:00:30 GMT', now), 30_000)
  t.equal(retryAfterMs('Wednesday, 02-Dec-26 10:00:30 GMT', now), 30_000, 'the obsolete RFC 850 form')
  t.equal(retryAfterMs('Wed, 02 Dec 2026 09:59:00 GMT', now), 0, 'a date gone by: now')
})

t.test('an absent or unreadable Retry-After leaves the backoff to us', async (t) => {
  for (const value of [undefined, '', '-1', '1.5', 'soon', '2026-12-02', '10s']) t.equal(retryAfterMs(value), undefined, String(value))
})

t.test('a Retry-After is a floor with at most a tenth added; otherwise full jitter below the cap', async (t) => {
  const asked = Array.from({ length: 200 }, () => delayFor(new Retryable('429', 429, 1000), 1, defaultRetryPolicy))
  const own = Array.from({ length: 200 }, () => delayFor(new Retryable('503', 503), 10, defaultRetryPolicy))
  t.ok(asked.every((ms) => ms >= 1000 && ms <= 1100), `${Math.min(...asked)}…${Math.max(...asked)} ms`)
  t.ok(own.every((ms) => ms >= 0 && ms < defaultRetryPolicy.maxDelayMs), `${Math.min(...own)}…${Math.max(...own)} ms`)
  t.ok(new Set(own).size > 100, 'spread, not one value')
})
