import t from 'tap'
import { toPositional } from '../../src/actions/named-parameters.js'

t.test('named parameters become positional binds in order, repeats included', async (t) => {
  t.same(toPositional('select * from t where a = :segment and b > :minValue or c = :segment'), {
    sql: 'select * from t where a = ? and b > ? or c = ?',
    order: ['segment', 'minValue', 'segment'],
    names: ['minValue', 'segment']
  })
})

t.test('text that only looks like a parameter is left alone', async (t) => {
  const cases = [
    "select ':notParam', 'it''s :quoted' from t",
    'select "col:name" from t',
    'select $$ :dollar $$ from t',
    'select 1 -- :comment\nfrom t',
    'select 1 /* :block */ from t',
    "select x::varchar, '2024-01-01'::date from t",
    "select 'back\\':slash' from t"
  ]
  for (const sql of cases) t.same(toPositional(sql), { sql, order: [], names: [] }, sql)
})

t.test('a parameter right after a cast or inside parentheses is found', async (t) => {
  t.same(toPositional("select (:a)::number, x from t where y in (:b,:c) and z = 'q'"), {
    sql: "select (?)::number, x from t where y in (?,?) and z = 'q'",
    order: ['a', 'b', 'c'],
    names: ['a', 'b', 'c']
  })
})

t.test('an unterminated literal does not loop or invent parameters', async (t) => {
  t.same(toPositional("select ':a"), { sql: "select ':a", order: [], names: [] })
  t.same(toPositional('select 1 /* :a'), { sql: 'select 1 /* :a', order: [], names: [] })
})
