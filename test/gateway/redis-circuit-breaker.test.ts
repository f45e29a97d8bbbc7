import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { CircuitBreaker } from '../../src/redis/circuit-breaker.js'

const retryMs = 30

function breaker (): { breaker: CircuitBreaker, transitions: boolean[] } {
  const made = new CircuitBreaker({ failures: 3, retryMs })
  const transitions: boolean[] = []
  made.transitions.on((open) => transitions.push(open))
  return { breaker: made, transitions }
}

t.test('only failures in a row open it', async (t) => {
  const { breaker: b, transitions } = breaker()
  b.failed(b.admit())
  b.failed(b.admit())
  b.admit()
  b.succeeded()
  b.failed(b.admit())
  b.failed(b.admit())
  t.equal(b.isOpen, false, 'an answer in between starts the count again')
  b.failed(b.admit())
  t.equal(b.isOpen, true)
  t.same(transitions, [true])
})

t.test('open: calls are skipped, then exactly one probe goes; its failure keeps it open for another interval', async (t) => {
  const { breaker: b, transitions } = breaker()
  for (let i = 0; i < 3; i++) b.failed(b.admit())
  t.equal(b.admit(), 'skip')
  await sleep(retryMs + 5)
  t.equal(b.admit(), 'probe')
  t.equal(b.admit(), 'skip', 'one probe at a time')
  b.failed('probe')
  t.equal(b.admit(), 'skip', 'the failed probe starts a new interval')
  t.ok(b.retryInMs > 0)
  // A call let through before the breaker opened, failing late, changes nothing.
  b.failed('call')
  await sleep(retryMs + 5)
  t.equal(b.admit(), 'probe')
  b.succeeded()
  t.equal(b.isOpen, false)
  t.equal(b.admit(), 'call')
  t.same(transitions, [true, false], 'each transition once, however many probes failed')
})

t.test('after closing, it takes a full run of failures to open again', async (t) => {
  const { breaker: b } = breaker()
  for (let i = 0; i < 3; i++) b.failed(b.admit())
  await sleep(retryMs + 5)
  b.admit()
  b.succeeded()
  b.failed(b.admit())
  b.failed(b.admit())
  t.equal(b.isOpen, false)
})
