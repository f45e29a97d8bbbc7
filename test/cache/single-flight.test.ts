import t from 'tap'
import { SingleFlight } from '../../src/cache/single-flight.js'

t.test('a flight that answered stays joinable until what it lingers for settles', async (t) => {
  const flights = new SingleFlight<string>()
  let finish: () => void = () => {}
  const rest = new Promise<void>((resolve) => { finish = resolve })
  let runs = 0
  const work = async (_signal: AbortSignal, lingerUntil: (until: Promise<unknown>) => void): Promise<string> => {
    runs++
    lingerUntil(rest)
    return 'first rows'
  }
  t.same(await flights.run('k', work), { value: 'first rows', shared: false })
  t.same(await flights.run('k', work), { value: 'first rows', shared: true }, 'joined after answering')
  t.ok(flights.has('k'))
  finish()
  await rest
  await new Promise((resolve) => setImmediate(resolve))
  t.notOk(flights.has('k'), 'forgotten once the rest settled')
  await flights.run('k', work)
  t.equal(runs, 2, 'then a call starts afresh')
})

t.test('a caller giving up after the flight answered does not stop what it goes on doing', async (t) => {
  const flights = new SingleFlight<string>()
  let stopped: AbortSignal | undefined
  const rest = new Promise<void>(() => {})
  await flights.run('k', async (signal, lingerUntil) => {
    stopped = signal
    lingerUntil(rest)
    return 'first rows'
  })
  const gone = AbortSignal.abort(new Error('caller hung up'))
  await t.rejects(flights.run('k', async () => 'never', gone))
  t.equal(stopped?.aborted, false, 'the lingering work was not stopped')
})

t.test('every caller gone before the answer stops the work; a failure is forgotten at once', async (t) => {
  const flights = new SingleFlight<string>()
  const controller = new AbortController()
  let stopped: AbortSignal | undefined
  const waiting = flights.run('k', async (signal) => {
    stopped = signal
    return await new Promise<string>(() => {})
  }, controller.signal)
  controller.abort(new Error('deadline'))
  await t.rejects(waiting)
  t.equal(stopped?.aborted, true)
  t.notOk(flights.has('k'))

  await t.rejects(flights.run('f', async () => { throw new Error('boom') }))
  t.notOk(flights.has('f'))
})
