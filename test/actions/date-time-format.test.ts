import t from 'tap'
import { Ajv, type FormatDefinition } from 'ajv'
import addFormats from 'ajv-formats'
import { fastDateTime } from '../../src/actions/date-time-format.js'

const withFormats = (): Ajv => {
  const ajv = new Ajv()
  addFormats.default(ajv)
  return ajv
}
const check = (ajv: Ajv): (text: string) => boolean => (ajv.formats['date-time'] as FormatDefinition<string>).validate as (text: string) => boolean
const original = check(withFormats())
const faster = withFormats()
fastDateTime(faster)
const fast = check(faster)

/** Dates, times and offsets around every edge a check can get wrong, and a few of each kind of damage. */
function candidates (): string[] {
  const dates = ['2024-02-29', '2023-02-29', '2000-02-29', '1900-02-29', '2024-02-30', '2024-04-31', '2024-04-30', '2024-12-31', '2024-13-01',
    '2024-00-10', '2024-01-00', '2024-01-32', '0000-01-01', '9999-12-31', '1969-12-31', '2024-1-01', '20240101', '2024/01/01']
  const times = ['00:00:00', '23:59:59', '24:00:00', '23:60:00', '23:59:60', '12:34:56', '12:34:5', '9:00:00', '12:34', '99:99:99', '24:59:30']
  const fractions = ['', '.0', '.123', '.123456789', '.', '.12a', '.999999']
  const zones = ['Z', 'z', '+00:00', '-00:00', '+02:00', '-03:30', '+14:00', '+23:59', '+24:00', '+05:60', '+0530', '+05', '-1:00', '', ' Z', 'ZZ', '+05:30Z', 'UTC']
  const out: string[] = []
  for (const d of dates) for (const tm of times) for (const f of fractions) for (const z of zones) out.push(`${d}T${tm}${f}${z}`)
  for (const sep of ['t', ' ', '_', 'TT']) out.push(`2024-01-02${sep}03:04:05.123Z`)
  out.push('', 'T', '2024-01-02T03:04:05.123Z ', ' 2024-01-02T03:04:05.123Z', '2024-01-02T03:04:05.123Zt', '\u0662024-01-02T03:04:05Z', '2024-01-02T03:04:05.\u0661Z')
  // Every position of a gateway timestamp replaced by each character that could confuse a position check.
  for (const base of ['2024-01-02T03:04:05.123Z', '1969-12-31T20:29:59.999-03:30']) {
    for (let i = 0; i < base.length; i++) for (const c of ['0', '9', '-', ':', '.', 'T', 'Z', '+', ' ', '/', 'a']) out.push(base.slice(0, i) + c + base.slice(i + 1))
  }
  return out
}

t.test('answers exactly as ajv-formats\' date-time does', async (t) => {
  const all = candidates()
  const differing = all.filter((text) => fast(text) !== original(text))
  t.strictSame(differing, [], `${all.length} strings, ${all.filter(original).length} of them valid`)
  t.ok(all.filter(original).length > 500, 'with many valid ones among them')
})

t.test('the gateway\'s own timestamps and offsets are valid; broken ones are not', async (t) => {
  t.ok(fast('2024-01-02T03:04:05.123Z'))
  t.ok(fast('1969-12-31T20:29:59.999-03:30'))
  t.ok(fast('2016-12-31T23:59:60Z'), 'a leap second, as ajv-formats allows')
  t.notOk(fast('2023-02-29T00:00:00Z'), 'no 29 February outside a leap year')
  t.notOk(fast('2024-01-02T03:04:05.123'), 'an offset is required')
  t.notOk(fast('2024-01-02T03:04:05.123+24:00'))
})
