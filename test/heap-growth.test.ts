import t from 'tap'
import { applyHeapGrowth } from '../src/heap-growth.js'

t.test('the setting reaches V8 as --heap-growing-percent, 0 included (V8\'s own choice again)', async (t) => {
  const flags: string[] = []
  applyHeapGrowth(30, (f) => flags.push(f))
  applyHeapGrowth(0, (f) => flags.push(f))
  t.strictSame(flags, ['--heap-growing-percent=30', '--heap-growing-percent=0'])
})
