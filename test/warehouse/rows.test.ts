import t from 'tap'
import { rowConverter } from '../../src/warehouse/rows.js'
import type { Column } from '../../src/warehouse/driver.js'

const column = (name: string, type: string): Column => ({ getName: () => name, getType: () => type }) as unknown as Column

t.test('numbers stay JSON numbers only while exact', async (t) => {
  const convert = rowConverter([column('A', 'fixed'), column('B', 'fixed'), column('C', 'fixed'), column('D', 'real'), column('E', 'fixed')])
  t.strictSame(convert(['42', '9223372036854775807', '12345.67', 'NaN', null]), {
    A: 42, B: '9223372036854775807', C: 12345.67, D: 'NaN', E: null
  })
  t.strictSame(convert(['-9007199254740991', '123456789012.3456789', '0.000001', '1e+21', '007']), {
    A: -9007199254740991, B: '123456789012.3456789', C: 0.000001, D: 1e21, E: 7
  })
})

t.test('dates and timestamps become ISO 8601; TIMESTAMP_TZ keeps its offset', async (t) => {
  const instant = new Date('2024-01-02T03:04:05.123Z')
  const withZone = Object.assign(new Date(instant), { getTimezone: () => 120 })
  const convert = rowConverter([column('D', 'date'), column('N', 'timestamp_ntz'), column('L', 'timestamp_ltz'), column('Z', 'timestamp_tz')])
  t.strictSame(convert([new Date('2024-02-29T00:00:00Z'), instant, instant, withZone]), {
    D: '2024-02-29', N: '2024-01-02T03:04:05.123Z', L: '2024-01-02T03:04:05.123Z', Z: '2024-01-02T05:04:05.123+02:00'
  })
})
