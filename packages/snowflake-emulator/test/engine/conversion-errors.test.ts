import t from 'tap'
import { engineFor, run } from './helper.js'

t.test('a value that breaks a cast is named whole, even across lines, with its data-exception state', async t => {
  const engine = await engineFor(t)
  for (const value of ['abc', 'first line\nsecond line', "it's \"quoted\"\r\nand more"]) {
    await t.rejects(run(engine, 'select cast(? as number)', { 1: { type: 'TEXT', value } }), {
      code: '100038', sqlState: '22018', message: `Numeric value '${value}' is not recognized`
    }, JSON.stringify(value))
  }
  const temporal: Array<[string, string, string]> = [['date', '100040', 'Date'], ['timestamp', '100035', 'Timestamp'], ['time', '100108', 'Time']]
  for (const [type, code, name] of temporal) {
    await t.rejects(run(engine, `select cast(? as ${type})`, { 1: { type: 'TEXT', value: 'not\na value' } }), {
      code, sqlState: '22007', message: `${name} 'not\na value' is not recognized`
    }, type)
  }
})
