import t from 'tap'
import { withRetries } from '../../src/warehouse/retry.js'

const suspended = (): Error => Object.assign(new Error('Warehouse TEST_WH is suspended.'), { code: '000606' })

async function attemptsUntilFailure (deadline: number, error: () => Error = suspended): Promise<{ attempts: number, retried: number, failure: unknown }> {
  let attempts = 0
  let retried = 0
  const failure = await withRetries(async () => {
    attempts++
    throw error()
  }, { deadline, signal: new AbortController().signal, baseDelayMs: 1, maxDelayMs: 2, onRetry: () => { retried++ } }).catch((err: unknown) => err)
  return { attempts, retried, failure }
}

t.test('a transient fault is retried up to the attempt limit while the deadline allows', async (t) => {
  const { attempts, retried, failure } = await attemptsUntilFailure(Date.now() + 60_000)
  t.equal(attempts, 5)
  t.equal(retried, 4)
  t.match(failure, { code: '000606' }, 'the last fault is the one answered')
})

t.test('no retry starts when its wait would end past the deadline', async (t) => {
  const { attempts, retried } = await attemptsUntilFailure(Date.now())
  t.equal(attempts, 1)
  t.equal(retried, 0)
})

t.test('a fault that is not transient is never retried', async (t) => {
  const { attempts, failure } = await attemptsUntilFailure(Date.now() + 60_000, () => Object.assign(new Error('SQL compilation error'), { code: '002003' }))
  t.equal(attempts, 1)
  t.match(failure, { code: '002003' })
})
