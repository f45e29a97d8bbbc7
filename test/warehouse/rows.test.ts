import t from 'tap'
import { rowConverter } from '../../src/warehouse/rows.js'
import type { Column } from '../../src/warehouse/driver.js'

/** A column as the driver describes it, with the per-row read the gateway replaces for the types it converts. */
const columns = (...specs: Array<[string, string, number?]>): Column[] => specs.map(([name, type, scale = 9], index) => ({
  getName: () => name, getType: () => type, getIndex: () => index, getScale: () => scale, _getRowValue: () => 'driver-converted', _getRowValueAsString: () => 'driver-text'
}) as unknown as Column)

t.test('numbers stay JSON numbers only while exact', async (t) => {
  const convert = rowConverter(columns(['A', 'fixed'], ['B', 'fixed'], ['C', 'fixed'], ['D', 'real'], ['E', 'fixed']))
  t.strictSame(convert(['42', '9223372036854775807', '12345.67', 'NaN', null]), {
    A: 42, B: '9223372036854775807', C: 12345.67, D: 'NaN', E: null
  })
  t.strictSame(convert(['-9007199254740991', '123456789012.3456789', '0.000001', '1e+21', '007']), {
    A: -9007199254740991, B: '123456789012.3456789', C: 0.000001, D: 1e21, E: 7
  })
})

t.test('dates and timestamps from wire text become ISO 8601; TIMESTAMP_TZ keeps its offset', async (t) => {
  const convert = rowConverter(columns(['D', 'date'], ['N', 'timestamp_ntz'], ['L', 'timestamp_ltz'], ['Z', 'timestamp_tz']))
  t.strictSame(convert(['19782', '1704164645.123456789', '1704164645.123000000', '1704164645.123000000 1560']), {
    D: '2024-02-29', N: '2024-01-02T03:04:05.123Z', L: '2024-01-02T03:04:05.123Z', Z: '2024-01-02T05:04:05.123+02:00'
  })
  t.strictSame(convert(['-1', '-1.250000000', '-0.000500000', '-0.000500000 1230']), {
    D: '1969-12-31', N: '1969-12-31T23:59:58.750Z', L: '1969-12-31T23:59:59.999Z', Z: '1969-12-31T20:29:59.999-03:30'
  }, 'before the epoch the fraction counts from the second before')
  t.strictSame(convert([null, null, null, null]), { D: null, N: null, L: null, Z: null })
})

t.test('TIMESTAMP_TZ of result version 0: the offset index in the lowest 14 bits', async (t) => {
  const convert = rowConverter(columns(['Z', 'timestamp_tz', 3]))
  // 1704164645.123 s at +02:00 (index 1560): (1704164645123 * 16384 + 1560) / 1000
  t.strictSame(convert([String((1704164645123n * 16384n + 1560n) / 1000n) + '.' + String((1704164645123n * 16384n + 1560n) % 1000n).padStart(3, '0')]), {
    Z: '2024-01-02T05:04:05.123+02:00'
  })
})

t.test('the driver reads the wire text of those columns, and keeps converting the others', async (t) => {
  const [number, flag] = columns(['A', 'fixed'], ['B', 'boolean']) as [Column, Column]
  rowConverter([number, flag])
  type Read = (row: { values: unknown[] }) => unknown
  const reads = (column: Column): { _getRowValue: Read, _getRowValueAsString: Read } => column as unknown as { _getRowValue: Read, _getRowValueAsString: Read }
  t.equal(reads(number)._getRowValue({ values: ['1', 'b'] }), '1')
  t.equal(reads(number)._getRowValueAsString({ values: ['1', 'b'] }), '1', 'also the read the driver uses for a type fetched as a string')
  t.equal(reads(flag)._getRowValue({ values: ['1', 'b'] }), 'driver-converted')
  t.equal(reads(flag)._getRowValueAsString({ values: ['1', 'b'] }), 'driver-text')
  const gone = { getName: () => 'A', getType: () => 'date', getIndex: () => 0 } as unknown as Column
  t.throws(() => rowConverter([gone]), /Column\._getRowValue or _getRowValueAsString is gone/, 'a driver that reads rows otherwise fails loudly')
  const half = { getName: () => 'A', getType: () => 'fixed', getIndex: () => 0, _getRowValue: () => null } as unknown as Column
  t.throws(() => rowConverter([half]), /is gone/, 'so does one that lost only the string read')
})

t.test('text is read as Snowflake sent it, NULL as null', async (t) => {
  const convert = rowConverter(columns(['S', 'text'], ['T', 'text']))
  t.strictSame(convert(['a "quoted" \u00e9', null]), { S: 'a "quoted" \u00e9', T: null })
})
