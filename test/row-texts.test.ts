import t from 'tap'
import { joinRowTexts, RowTexts } from '../src/row-texts.js'

const rows = [{ A: 1, B: 'x,y' }, { A: 2, B: 'é"\u2028' }, { A: 3, B: null }, { A: 4, B: '}{' }]

t.test('row texts are the rows as an answer\'s array holds them, sliced by where each ends', async (t) => {
  const texts = RowTexts.of(rows)
  t.equal(`[${texts.text}]`, JSON.stringify(rows))
  t.equal(texts.count, 4)
  t.same(texts.parse(), rows)
  t.equal(texts.slice(1, 2).text, JSON.stringify(rows[1]))
  t.same(texts.slice(1, 3).parse(), rows.slice(1, 3))
  t.same(texts.slice(3, 10).parse(), rows.slice(3))
  t.equal(texts.slice(0, 4), texts, 'the whole is not copied')
  t.equal(texts.slice(2, 2).count, 0)
  t.equal(RowTexts.of([]).text, '')
})

t.test('pieces join into one, in order', async (t) => {
  const texts = RowTexts.of(rows)
  const joined = joinRowTexts([texts.slice(0, 1), RowTexts.none, texts.slice(1, 3), texts.slice(3, 4)])
  t.equal(joined.text, texts.text)
  t.same(joined.ends, texts.ends)
  t.same(joined.slice(2, 4).parse(), rows.slice(2))
  t.equal(joinRowTexts([]).count, 0)
})
