import t from 'tap'
import { parse, Parser, significantTokens } from '../../src/engine/sql/parser.js'
import type { Expr, Query, Select, Statement } from '../../src/engine/sql/ast.js'
import { SnowflakeError } from '../../src/engine/contract.js'

const expr = (sql: string): Expr => new Parser(significantTokens(sql), sql).expression()

/** The tree of an expression as a compact text: operators in prefix form, so precedence shows. */
function shape (e: Expr): string {
  switch (e.type) {
    case 'number': return e.text
    case 'string': return `'${e.value}'`
    case 'name': return e.parts.map(p => p.text).join('.')
    case 'param': return `$${e.n}`
    case 'variable': return `$${e.name}`
    case 'null': return 'null'
    case 'boolean': return String(e.value)
    case 'binary': return `(${e.op} ${shape(e.left)} ${shape(e.right)})`
    case 'unary': return `(${e.op} ${shape(e.operand)})`
    case 'paren': return shape(e.expr)
    case 'cast': return `(:: ${shape(e.expr)} ${e.to.name}${e.to.params.length > 0 ? `(${e.to.params.join(',')})` : ''})`
    case 'path': return `(path ${shape(e.base)} ${e.steps.map(s => s.kind === 'key' ? '.' + s.name : s.kind === 'index' ? `[${s.index}]` : `[${shape(s.expr)}]`).join('')})`
    case 'call': return `${e.name.map(p => p.text).join('.')}(${e.distinct ? 'distinct ' : ''}${e.star ? '*' : e.args.map(a => (a.name === undefined ? '' : a.name + '=>') + shape(a.value)).join(' ')})` +
      (e.withinGroup === undefined ? '' : ` within(${e.withinGroup.map(o => shape(o.expr) + (o.direction ?? '')).join(' ')})`) +
      (e.over === undefined ? '' : ` over(${e.over.partitionBy.map(shape).join(' ')}|${e.over.orderBy.map(o => shape(o.expr)).join(' ')})`)
    case 'like': return `(${e.not ? 'not ' : ''}${e.op} ${shape(e.left)} ${shape(e.pattern)})`
    case 'likeAny': return `(${e.not ? 'not ' : ''}${e.op} ${e.quantifier} ${shape(e.left)} ${e.patterns.map(shape).join(' ')})`
    case 'in': return `(${e.not ? 'not ' : ''}in ${shape(e.left)} ${(e.list ?? []).map(shape).join(' ')}${e.query === undefined ? '' : 'query'})`
    case 'between': return `(${e.not ? 'not ' : ''}between ${shape(e.left)} ${shape(e.low)} ${shape(e.high)})`
    case 'is': return `(is${e.not ? ' not' : ''} ${shape(e.left)} ${e.what}${e.right === undefined ? '' : ' ' + shape(e.right)})`
    case 'case': return `(case${e.operand === undefined ? '' : ' ' + shape(e.operand)} ${e.whens.map(([w, th]) => `${shape(w)}->${shape(th)}`).join(' ')}${e.else === undefined ? '' : ' else ' + shape(e.else)})`
    default: return e.type
  }
}

const st = (sql: string): Statement => {
  const s = parse(sql).statement
  if (s === null) throw new Error('not parsed')
  return s
}
const query = (sql: string): Query => (st(sql) as Statement & { type: 'query' }).query
const select = (sql: string): Select => query(sql).body as Select

t.test('operator precedence', async t => {
  t.equal(shape(expr('1 + 2 * 3')), '(+ 1 (* 2 3))')
  t.equal(shape(expr('(1 + 2) * 3')), '(* (+ 1 2) 3)')
  t.equal(shape(expr('a - b - c')), '(- (- a b) c)', 'left-associative')
  t.equal(shape(expr('a or b and c')), '(OR a (AND b c))')
  t.equal(shape(expr('not a = 1 and b')), '(AND (NOT (= a 1)) b)')
  t.equal(shape(expr("a || 'x' = 'bx'")), "(= (|| a 'x') 'bx')")
  t.equal(shape(expr('-x::int')), '(- (:: x INT))', ':: binds tighter than unary minus')
  t.equal(shape(expr('a / b * c')), '(* (/ a b) c)')
  t.equal(shape(expr('x between 1 and 2 and y')), '(AND (between x 1 2) y)')
  t.equal(shape(expr('x not between a + 1 and b')), '(not between x (+ a 1) b)')
  t.equal(shape(expr('x is not null or y is distinct from 2')), '(OR (is not x NULL) (is y DISTINCT FROM 2))')
  t.equal(shape(expr('a not in (1, 2)')), '(not in a 1 2)')
  t.equal(shape(expr('a in (select 1)')), '(in a query)')
})

t.test('path access, casts, LIKE ANY, binds and variables', async t => {
  t.equal(shape(expr('v:a.b[0]')), '(path v .a.b[0])')
  t.equal(shape(expr('e.v:"Mixed Key"::string')), '(:: (path e.v .Mixed Key) STRING)')
  t.equal(shape(expr("v['k'][i + 1]")), '(path v .k[(+ i 1)])')
  t.equal(shape(expr('parse_json(x):a')), '(path parse_json(x) .a)')
  t.equal(shape(expr('x::number(10, 2)')), '(:: x NUMBER(10,2))')
  t.equal(shape(expr('cast(x as double precision)')), '(:: x DOUBLE PRECISION)')
  t.equal(shape(expr("name not ilike any ('a%', 'b%')")), "(not ILIKE ANY name 'a%' 'b%')")
  t.equal(shape(expr("name like all ('%a%')")), "(LIKE ALL name '%a%')")
  t.equal(shape(expr("s rlike 'a.*'")), "(RLIKE s 'a.*')")
  t.equal(shape(expr('? + ? + :1 + $x')), '(+ (+ (+ $1 $2) $1) $X)')
  t.equal(shape(expr("case when a then 'x' when b then 'y' else 'z' end")), "(case a->'x' b->'y' else 'z')")
  t.equal(shape(expr('case d when 1 then 2 end')), '(case d 1->2)')
})

t.test('calls: named arguments, DISTINCT, *, WITHIN GROUP, OVER', async t => {
  t.equal(shape(expr('count(*)')), 'count(*)')
  t.equal(shape(expr("listagg(distinct d, '|') within group (order by d desc)")), "listagg(distinct d '|') within(dDESC)")
  t.equal(shape(expr('row_number() over (partition by a order by b)')), 'row_number() over(a|b)')
  t.equal(shape(expr('flatten(input => v:tags, outer => true)')), 'flatten(INPUT=>(path v .tags) OUTER=>true)')
  t.equal(shape(expr('system$wait(1)')), 'system$wait(1)')
  t.equal(shape(expr('db.sch.fn(1)')), 'db.sch.fn(1)')
})

t.test('queries: TOP, FROM items, joins, set operations, CTEs', async t => {
  const s = select('select top 2 a, b x, c as "Y" from t1 e left outer join t2 on e.k = t2.k, lateral flatten(input => e.v) f where a > 1 qualify row_number() over (order by a) = 1')
  t.equal(s.top?.type, 'number')
  t.same(s.items.map(i => i.alias?.text), [undefined, 'x', '"Y"'])
  t.equal(s.from.length, 2)
  t.match(s.from[0], { type: 'join', kind: 'LEFT OUTER', left: { type: 'table', alias: { text: 'e' } }, right: { type: 'table' } })
  t.match(s.from[1], { type: 'function', lateral: true, alias: { text: 'f' }, call: { name: [{ text: 'flatten' }] } })
  t.ok(s.qualify !== undefined)
  t.match(select("select * from values (1, 'a'), (2, 'b') as v(n, s)").from[0], { type: 'values', alias: { text: 'v' }, columns: [{ text: 'n' }, { text: 's' }] })
  t.match(select('select count(*) from emp sample (2 rows) seed (3)').from[0], { type: 'table', sample: { rows: true } })
  t.match(select('select * from table(generator(rowcount => 10))').from[0], { type: 'function', table: true })
  t.match(select('select * exclude (a, b) from t').items[0], { expr: { type: 'star', modifiers: { exclude: [{ text: 'a' }, { text: 'b' }] } } })
  const q = query('with a as (select 1 x), b (y) as (select x from a) select y from b union all select 2 minus select 3 order by 1 limit 5 offset 1')
  t.same(q.with?.ctes.map(c => c.name.text), ['a', 'b'])
  t.match(q.body, { type: 'setop', op: 'EXCEPT', left: { type: 'setop', op: 'UNION ALL' } })
  t.equal(q.orderBy.length, 1)
  t.match(q, { limit: { type: 'number', text: '5' }, offset: { type: 'number', text: '1' } })
})

t.test('DML, DDL and what is left to the pass-through printer', async t => {
  t.match(st('insert into t (a, b) select 1, 2'), { type: 'insert', columns: [{ text: 'a' }, { text: 'b' }], source: { body: { type: 'select' } } })
  t.match(st('insert overwrite into t values (1), (2)'), { type: 'insert', overwrite: true, source: { body: { type: 'values' } } })
  t.match(st('update t set a = a + 1, b = 2 where c'), { type: 'update', sets: [{ column: [{ text: 'a' }] }, { column: [{ text: 'b' }] }] })
  t.match(st('delete from t using u where t.id = u.id'), { type: 'delete', using: [{ type: 'table' }] })
  t.match(st('merge into t using s on t.id = s.id when matched and s.x then update set a = 1 when not matched then insert (a) values (s.a)'),
    { type: 'merge', whens: [{ matched: true, action: { type: 'update' } }, { matched: false, action: { type: 'insert' } }] })
  t.match(st('create or replace temporary table if not exists t (a number(10,2) not null default 0, b varchar, primary key (a))'),
    { type: 'createTable', create: { orReplace: true, modifiers: ['TEMPORARY'], ifNotExists: true }, columns: [{ dataType: { name: 'NUMBER', params: ['10', '2'] } }, { name: { text: 'b' } }], constraints: ['PRIMARY KEY(A)'] })
  t.match(st('create secure view v as select 1'), { type: 'createView', create: { modifiers: ['SECURE'] } })
  t.match(st('call system$wait(1)'), { type: 'call' })
  for (const sql of ['show tables', 'drop table t', 'alter table t add column c int', 'create database d', 'insert all into a select 1', 'use warehouse w']) {
    t.equal(parse(sql).statement, null, sql)
  }
})

t.test('malformed SQL fails with Snowflake\'s syntax error 001003 at the token, never a crash', async t => {
  const cases: Array<[string, RegExp]> = [
    ['select from from e', /line 1 at position 7 unexpected 'from'\.$/],
    ['select (1 + 2', /unexpected '<EOF>'\.$/],
    ['select 1 +', /unexpected '<EOF>'\.$/],
    ['select a from t where', /unexpected '<EOF>'\.$/],
    ['select case when 1 then 2 from t', /unexpected 'from'\.$/],
    ['select a from t\nwhere b = = 1', /line 2 at position 10 unexpected '='\.$/],
    ['select cast(1 as) from t', /unexpected '\)'\.$/],
    ['select 1 from t order', /unexpected 'order'\.$/],
    ['insert into t', /unexpected '<EOF>'\.$/],
    ['update t set', /unexpected '<EOF>'\.$/],
    ['merge into t using s on 1 = 1', /unexpected '<EOF>'\.$/],
    ['select * from (select 1', /unexpected '<EOF>'\.$/],
    ['select f(a,) from t', /unexpected '\)'\.$/]
  ]
  for (const [sql, message] of cases) {
    let err: unknown
    try { parse(sql) } catch (e) { err = e }
    t.ok(err instanceof SnowflakeError, sql)
    t.match(err, { code: '001003', sqlState: '42000', message }, sql)
    t.match((err as Error).message, /^SQL compilation error:\nsyntax error line \d+ at position \d+ unexpected '/)
  }
})
