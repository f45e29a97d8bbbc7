import t, { type Test } from 'tap'
import { withRetries, type RetryOptions } from '../../src/warehouse/retry.js'

// Real timers with waits of tens to hundreds of milliseconds. A timer never fires early, so lower bounds are
// tight; upper bounds leave room for a busy machine, yet stay far below what a wrong wait would take.
const late = 60

const suspended = (attempt: number): Error => Object.assign(new Error(`Warehouse TEST_WH is suspended (attempt ${attempt}).`), { code: '000606' })
const notTransient = (): Error => Object.assign(new Error('SQL compilation error'), { code: '002003' })

interface Run {
  /** When each attempt started, in ms since the run began. */
  starts: number[]
  retries: Array<{ error: unknown, attempt: number }>
  result?: unknown
  failure?: unknown
  elapsed: number
}

/** Runs `attempt` through withRetries and records what happened; deadline and signal default to far and never. */
async function run (attempt: (n: number) => Promise<unknown>, options: Partial<RetryOptions> = {}): Promise<Run> {
  const began = performance.now()
  const record: Run = { starts: [], retries: [], elapsed: 0 }
  try {
    record.result = await withRetries(async (n) => {
      record.starts.push(performance.now() - began)
      return await attempt(n)
    }, {
      deadline: Date.now() + 60_000,
      signal: new AbortController().signal,
      onRetry: (error, n) => { record.retries.push({ error, attempt: n }) },
      ...options
    })
  } catch (err) {
    record.failure = err
  }
  record.elapsed = performance.now() - began
  return record
}

/** Math.random answers these values in turn, for the jitter draws; returns the draws made. */
function draws (t: Test, ...values: number[]): { count: () => number } {
  const capture = t.capture(Math, 'random', () => {
    const value = values.shift()
    if (value === undefined) throw new Error('more jitter draws than the test expected')
    return value
  })
  return { count: () => capture.calls.length }
}

const gaps = (starts: number[]): number[] => starts.slice(1).map((at, i) => at - (starts[i] ?? 0))

t.test('transient faults are retried; each wait is drawn below a ceiling that doubles up to the cap', async (t) => {
  const drawn = draws(t, 0, 0.5, 0.75, 0.999)
  const errors = [1, 2, 3, 4].map(suspended)
  const { starts, retries, result } = await run(async (n) => {
    const error = errors[n - 1]
    if (error) throw error
    return 'rows'
  }, { baseDelayMs: 100, maxDelayMs: 250 })
  t.equal(result, 'rows', 'the fifth attempt\'s answer')
  t.equal(starts.length, 5)
  t.equal(drawn.count(), 4, 'one draw per retry')
  // Full jitter: random × min(cap, base × 2^(n-1)); ceilings 100, 200, 250 (not 400), 250 (not 800).
  const expected = [0, 100, 187.5, 249.75]
  gaps(starts).forEach((gap, i) => {
    const wait = expected[i] ?? NaN
    t.ok(gap >= wait - 1 && gap < wait + late, `wait ${i + 1}: ${gap.toFixed(1)} ms for a drawn ${wait} ms`)
  })
  t.same(retries, errors.map((error, i) => ({ error, attempt: i + 1 })), 'onRetry once per retry, with the fault and the attempt that failed')
})

t.test('at most maxAttempts attempts; the last fault is the one answered', async (t) => {
  draws(t, 0, 0)
  const errors: Error[] = []
  const { starts, retries, failure } = await run(async (n) => { throw errors[errors.push(suspended(n)) - 1] }, { maxAttempts: 3 })
  t.equal(starts.length, 3)
  t.equal(retries.length, 2)
  t.equal(failure, errors[2])
})

t.test('five attempts by default', async (t) => {
  draws(t, 0, 0, 0, 0)
  const { starts, failure } = await run(async (n) => { throw suspended(n) })
  t.equal(starts.length, 5)
  t.match(failure, { code: '000606', message: /attempt 5/ })
})

t.test('a wait that would end past the deadline gives up at once, without sleeping', async (t) => {
  // Waits of 99.9 and 199.8 ms end before the deadline; the third, 399.6 ms from about 300 ms, would not.
  draws(t, 0.999, 0.999, 0.999)
  const errors: Error[] = []
  const { starts, retries, failure, elapsed } = await run(async (n) => { throw errors[errors.push(suspended(n)) - 1] },
    { baseDelayMs: 100, maxDelayMs: 1000, deadline: Date.now() + 600 })
  t.equal(starts.length, 3)
  t.equal(retries.length, 2, 'no retry announced for the wait not taken')
  t.equal(failure, errors[2], 'the last fault is answered')
  t.ok(elapsed >= 299 && elapsed < 300 + late, `gave up after ${elapsed.toFixed(0)} ms, not at the deadline (600) or after the wait (700)`)
})

t.test('no retry starts when its first wait would end past the deadline', async (t) => {
  draws(t, 0.999)
  const { starts, retries, elapsed } = await run(async (n) => { throw suspended(n) }, { baseDelayMs: 1000, deadline: Date.now() + 500 })
  t.equal(starts.length, 1)
  t.equal(retries.length, 0)
  t.ok(elapsed < late, `answered after ${elapsed.toFixed(0)} ms`)
})

t.test('a deadline already reached allows the first attempt only', async (t) => {
  const { starts, retries } = await run(async (n) => { throw suspended(n) }, { baseDelayMs: 1, maxDelayMs: 2, deadline: Date.now() })
  t.equal(starts.length, 1)
  t.equal(retries.length, 0)
})

t.test('a fault that is not transient is never retried', async (t) => {
  const drawn = draws(t, 0)
  const error = notTransient()
  const once = await run(async () => { throw error })
  t.equal(once.starts.length, 1)
  t.equal(once.failure, error)
  t.equal(once.retries.length, 0)
  t.equal(drawn.count(), 0, 'no wait drawn')

  const after = await run(async (n) => { throw n === 1 ? suspended(n) : error })
  t.equal(after.starts.length, 2, 'not after a transient one either')
  t.equal(after.failure, error)
})

t.test('an abort during a wait stops it at once, with the signal\'s reason', async (t) => {
  draws(t, 0.999)
  const controller = new AbortController()
  const reason = new Error('the caller closed the connection')
  const { starts, retries, failure, elapsed } = await run(async (n) => {
    setTimeout(() => { controller.abort(reason) }, 50)
    throw suspended(n)
  }, { signal: controller.signal, baseDelayMs: 5000, maxDelayMs: 5000 })
  t.equal(failure, reason)
  t.equal(retries.length, 1, 'the retry had been announced')
  t.ok(elapsed >= 49 && elapsed < 50 + late, `stopped after ${elapsed.toFixed(0)} ms of a 4995 ms wait`)
  await new Promise((resolve) => setTimeout(resolve, 100))
  t.equal(starts.length, 1, 'and no attempt follows')
})

t.test('a signal that aborted before the wait begins stops it at once', async (t) => {
  draws(t, 0.999)
  const controller = new AbortController()
  const reason = new Error('shutting down')
  const { starts, failure, elapsed } = await run(async (n) => {
    controller.abort(reason)
    throw suspended(n)
  }, { signal: controller.signal, baseDelayMs: 5000, maxDelayMs: 5000 })
  t.equal(failure, reason)
  t.equal(starts.length, 1)
  t.ok(elapsed < late, `stopped after ${elapsed.toFixed(0)} ms, not after the 4995 ms wait`)
})

t.test('a signal aborted before the first attempt: no attempt', async (t) => {
  const reason = new Error('gone')
  const { starts, failure } = await run(async () => 'rows', { signal: AbortSignal.abort(reason) })
  t.equal(starts.length, 0)
  t.equal(failure, reason)
})
