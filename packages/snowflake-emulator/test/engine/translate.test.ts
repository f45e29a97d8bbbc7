import t from 'tap'
import { translate, strftimeFormat } from '../../src/engine/translate.js'
import { tokenize } from '../../src/engine/lexer.js'
import { engineFor, run } from './helper.js'

const ctx = { sessionId: 7, database: 'DB', schema: 'PUBLIC', warehouse: 'WH', role: 'R' }
const sql = (s: string): string => translate(s, ctx).sql

t.test('the lexer keeps literals, quoted names and comments whole', async t => {
  const kinds = tokenize("select 'it''s :1', \"a\"\"b\", $$x?$$ -- ?\n/* :2 */ x::int").filter(k => k.kind !== 'space')
  t.same(kinds.map(k => k.kind), ['word', 'string', 'op', 'quoted', 'op', 'string', 'comment', 'comment', 'word', 'op', 'word'])
})

t.test('binds become numbered DuckDB parameters', async t => {
  t.equal(sql('select ?, ? from t'), 'SELECT $1, $2 FROM T')
  t.equal(sql('select :2, :1, x::date'), 'SELECT $2, $1, X::DATE')
  t.equal(translate('select :3', ctx).paramCount, 3)
  t.equal(sql("select '?' , ':1'"), "SELECT '?', ':1'")
})

t.test('functions, types and syntax', async t => {
  t.equal(sql('select iff(a, 1, 2), nvl(b, 0), nvl2(a, 1, 2), zeroifnull(c)'),
    'SELECT SF_IFF(A, 1, 2), SF_NVL(B, 0), SF_NVL2(A, 1, 2), SF_ZEROIFNULL(C)')
  t.equal(sql('select dateadd(day, 1, d), datediff(\'month\', a, b), date_trunc(mm, d)'),
    "SELECT SF_DATEADD('day', 1, D), DATE_DIFF('month', A, B), DATE_TRUNC('month', D)")
  t.equal(sql('select to_number(x, 10, 2), to_decimal(y)'), 'SELECT CAST(X AS DECIMAL(10,2)), SF_TO_NUMBER(Y)')
  t.equal(sql("select to_date(s, 'YYYY-MM-DD')"), "SELECT CAST(STRPTIME(CAST(S AS VARCHAR), '%Y-%m-%d') AS DATE)")
  t.equal(sql('select seq4() from table(generator(rowcount => 10))'), 'SELECT (ROW_NUMBER() OVER () - 1) FROM RANGE(10)')
  t.equal(sql('create table t (a number, b number(10,2), c varchar(20), d variant, e timestamp_ntz(9), f int)'),
    'CREATE TABLE T (A DECIMAL(38,0), B DECIMAL(10,2), C VARCHAR, D JSON, E TIMESTAMP, F DECIMAL(38,0))')
  t.equal(sql('select x::timestamp_tz, cast(y as timestamp_ltz), cast(z as timestamp_tz)'),
    'SELECT X::VARCHAR::UNION(sf_timestamp_tz VARCHAR), CAST(Y AS TIMESTAMPTZ), CAST(Z AS VARCHAR)::UNION(sf_timestamp_tz VARCHAR)')
  t.equal(sql('select object_construct(\'a\', 1), array_size(array_construct(1, 2))'),
    "SELECT JSON_OBJECT('a', 1), SF_ARRAY_SIZE(JSON_ARRAY(1, 2))")
  t.equal(sql("select 'a\\'b'"), "SELECT 'a''b'")
  t.equal(sql('select current_warehouse(), current_timestamp()'), "SELECT 'WH', CURRENT_TIMESTAMP")
  t.equal(strftimeFormat('yyyy-mm-dd hh24:mi:ss.ff3'), '%Y-%m-%d %H:%M:%S.%g')
})

t.test('statement kinds and history use', async t => {
  t.equal(translate('  -- c\n select 1', ctx).kind, 'query')
  t.equal(translate('insert into t values (1)', ctx).kind, 'insert')
  t.equal(translate('merge into t using s on 1=1 when matched then delete', ctx).kind, 'merge')
  t.equal(translate('create table t (a int)', ctx).kind, 'ddl')
  t.equal(translate('use warehouse x', ctx).kind, 'use')
  const h = translate('select * from table(db.information_schema.query_history_by_session(result_limit => 5))', ctx)
  t.ok(h.usesHistory)
  t.match(h.sql, /SESSION_ID = 7 ORDER BY START_TIME DESC LIMIT 5/)
  t.notOk(translate("select 'query_history'", ctx).usesHistory)
})

t.test('translated functions run on DuckDB with Snowflake results', async t => {
  const engine = await engineFor(t)
  const r = await run(engine, "select iff(1 > 2, 'y', 'n') a, nvl(null, 'd') b, nvl2(null, 1, 2) c, zeroifnull(null) d, " +
    "to_varchar(42) e, to_char('2024-03-04'::date, 'DD/MM/YYYY') f, to_date('04.03.2024', 'DD.MM.YYYY') g, " +
    "to_timestamp_ntz('2024-03-04 05:06:07') h, to_number('12.7') i, to_decimal('12.345', 10, 2) j, " +
    "datediff(day, '2024-01-01'::date, '2024-03-01'::date) k, dateadd(month, 1, '2024-01-31'::timestamp) l, " +
    "array_size(parse_json('[1,2,3]')) m, typeof(current_timestamp) n, typeof(sysdate()) o", null, { warehouse: null })
  t.same(r.all, [['n', 'd', '2', '0', '42', '04/03/2024', '19786', '1709528767.000000000', '13', '12.35', '60',
    '1709164800.000000000', '3', 'TIMESTAMP_LTZ', 'TIMESTAMP_NTZ']])
  const u = await run(engine, 'select uniform(1, 6, random()) as u from table(generator(rowcount => 200))')
  t.equal(u.all.length, 200, 'one value per generated row')
  t.ok(u.all.every(([v]) => Number(v) >= 1 && Number(v) <= 6))
  const g = await run(engine, 'select seq8() as s from table(generator(rowcount => 3))', null, { warehouse: null })
  t.same(g.all, [['0'], ['1'], ['2']])
})

t.test('constructs only a tree can print', async t => {
  const dated = { ...ctx, dateColumns: new Set<string>() }
  const tsql = (s: string): string => translate(s, dated).sql
  t.equal(tsql("select dateadd(day, 1, case when a then '2024-01-01'::date end)"),
    "SELECT CAST(SF_DATEADD('day', 1, CASE WHEN A THEN '2024-01-01'::DATE END) AS DATE)", 'a CASE of DATEs is a DATE')
  t.equal(tsql('select date_trunc(month, q.d) from (select current_date as d) q'),
    "SELECT CAST(DATE_TRUNC('month', Q.D) AS DATE) FROM (SELECT CURRENT_DATE AS D) AS Q", 'a subquery column keeps its type')
  t.equal(tsql('select dateadd(hour, 1, current_date)'), "SELECT SF_DATEADD('hour', 1, CURRENT_DATE)", 'an hour makes a timestamp')
  t.equal(tsql('select dateadd(day, 1, d) from t'), "SELECT SF_DATEADD('day', 1, D) FROM T", 'an unknown column is not assumed a DATE')
  t.equal(sql('select a from (select top 3 a from t order by a) union all select top 1 b from u'),
    'SELECT A FROM (SELECT A FROM T ORDER BY A LIMIT 3) UNION ALL (SELECT B FROM U LIMIT 1)', 'TOP is the LIMIT of its own SELECT')
  t.equal(sql('select v:a[i + 1]::int from t'), "SELECT SF_GET_TEXT(V, '$.a[' || CAST(I + 1 AS VARCHAR) || ']')::DECIMAL(38,0) FROM T", 'a computed index')
  t.equal(sql("select 1 from t where not x ilike any ('a%', ?) and y = ?"), "SELECT 1 FROM T WHERE NOT (X ILIKE 'a%' OR X ILIKE $1) AND Y = $2")
  t.equal(sql('select decode(?, 1, ?, 2, ?)'), 'SELECT CASE WHEN ($1) IS NOT DISTINCT FROM (1) THEN $2 WHEN ($1) IS NOT DISTINCT FROM (2) THEN $3 END', 'binds numbered as written, the subject once')
  t.equal(sql('select * from (values (1, 2))'), 'SELECT * FROM (VALUES (1, 2)) AS __VALUES(COLUMN1, COLUMN2)')
  t.equal(sql('values (1), (2)'), 'SELECT * FROM (VALUES (1), (2)) AS __VALUES(COLUMN1)')
  t.equal(sql('select a / (b - 1) / c from t'), 'SELECT A / SF_NONZERO((B - 1)) / SF_NONZERO(C) FROM T')
  t.equal(sql('select - -2, -(-x)'), 'SELECT - -2, -(-X)', 'nested signs never print a comment')
  t.equal(sql('select count(*) from emp e sample (10) seed (3)'), 'SELECT COUNT(*) FROM EMP AS E TABLESAMPLE 10% (bernoulli, 3)')
  t.equal(sql('call system$wait(0)'), "SELECT 'waited 0 seconds' AS \"SYSTEM$WAIT\"")
  t.equal(sql('alter table t add column c number(10,2)'), 'ALTER TABLE T ADD COLUMN C DECIMAL(10,2)', 'pass-through statements still map types')
  const names = translate('select 1+1, a, t.b, count(*), v:x::string, c as d from t', ctx).selectNames
  t.same(names, ['1+1', null, null, 'COUNT(*)', 'V:X::STRING', null], 'unaliased expressions are named after their text')
  t.same(translate("select array_agg(a) within group (order by a), object_construct('a', 1)::variant, split(s, ',') from t", ctx).selectKinds, ['array', null, 'array'])
})
