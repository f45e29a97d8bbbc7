// Semi-structured data: VARIANT/OBJECT/ARRAY, path access, FLATTEN, TYPEOF, IS_*.
// Pages: sql-reference/functions/<name>, user-guide/querying-semistructured, sql-reference/functions/flatten.
import type { Case } from '../cases.js'

export const fixture: string[] = [
  'create table events (id int, v variant)',
  `insert into events select 1, parse_json('{"name":"a","tags":["x","y"],"n":{"k":1},"price":"12.50"}')
   union all select 2, parse_json('{"name":"b","tags":[],"n":{"k":2}}')`
]

export const cases: Case[] = [
  // Path access
  { sql: 'select v:name::string as name from events order by id', rows: [{ NAME: 'a' }, { NAME: 'b' }], types: ['text'], doc: 'user-guide/querying-semistructured' },
  { sql: 'select v:n.k as k from events where id = 1', rows: [{ K: 1 }], types: ['variant'] },
  { sql: 'select v:tags[0]::string as t from events where id = 1', rows: [{ T: 'x' }] },
  { sql: "select v['name']::string as n from events where id = 2", rows: [{ N: 'b' }] },
  { sql: "select v:n['k']::number + 1 as k from events where id = 2", rows: [{ K: 3 }], types: ['fixed'] },
  { sql: 'select v:missing as m from events where id = 1', rows: [{ M: null }] },
  { sql: 'select v:price::number(10,2) as p from events where id = 1', rows: [{ P: 12.5 }], types: ['fixed'] },
  { sql: 'select v:name as n from events where id = 1', rows: [{ N: 'a' }], types: ['variant'] },
  { sql: 'select count(*) as c from events where v:n.k::int = 2', rows: [{ C: 1 }] },
  { sql: "select get_path(v, 'n.k') as k from events where id = 1", rows: [{ K: 1 }], types: ['variant'], doc: 'functions/get_path' },
  { sql: "select get(v, 'name') as n from events where id = 1", rows: [{ N: 'a' }] },
  { sql: "select parse_json('[1,2,3]')[1] as r", rows: [{ R: 2 }], types: ['variant'] },
  { sql: "select parse_json('{\"a\":{\"b\":[5,6]}}'):a.b[1]::int as r", rows: [{ R: 6 }] },
  // FLATTEN
  { sql: 'select f.value::string as tag, f.index as i from events, lateral flatten(input => v:tags) f order by tag', rows: [{ TAG: 'x', I: 0 }, { TAG: 'y', I: 1 }], doc: 'functions/flatten' },
  { sql: 'select e.id, f.value::string as tag from events e, lateral flatten(input => e.v:tags) f where e.id = 1 order by tag', rows: [{ ID: 1, TAG: 'x' }, { ID: 1, TAG: 'y' }] },
  {
    sql: "select * from table(flatten(input => parse_json('[10,20]')))",
    rows: [
      { SEQ: 1, KEY: null, PATH: '[0]', INDEX: 0, VALUE: 10, THIS: [10, 20] },
      { SEQ: 1, KEY: null, PATH: '[1]', INDEX: 1, VALUE: 20, THIS: [10, 20] }
    ],
    types: ['fixed', 'text', 'text', 'fixed', 'variant', 'variant'],
    doc: 'functions/flatten'
  },
  { sql: "select key, value from table(flatten(input => parse_json('{\"a\":1,\"b\":2}'))) order by key", rows: [{ KEY: 'a', VALUE: 1 }, { KEY: 'b', VALUE: 2 }] },
  { sql: "select path, index from table(flatten(input => parse_json('{\"b\":[1,2]}'), path => 'b'))", rows: [{ PATH: 'b[0]', INDEX: 0 }, { PATH: 'b[1]', INDEX: 1 }], doc: 'functions/flatten' },
  // OUTER => TRUE keeps a row for an empty array, with NULL KEY, INDEX and VALUE.
  { sql: 'select e.id, f.value as v from events e, lateral flatten(input => e.v:tags, outer => true) f where e.id = 2', rows: [{ ID: 2, V: null }], doc: 'functions/flatten' },
  { sql: 'select count(*) as c from events e, lateral flatten(input => e.v:tags) f', rows: [{ C: 2 }] },
  // RECURSIVE => TRUE walks every level depth first; THIS is the element's container, PATH its path from the input.
  {
    sql: "select key, path, index, value, this from table(flatten(input => parse_json('{\"a\":1,\"b\":[77,88],\"c\":{\"d\":\"X\"}}'), recursive => true))",
    rows: [
      { KEY: 'a', PATH: 'a', INDEX: null, VALUE: 1, THIS: { a: 1, b: [77, 88], c: { d: 'X' } } },
      { KEY: 'b', PATH: 'b', INDEX: null, VALUE: [77, 88], THIS: { a: 1, b: [77, 88], c: { d: 'X' } } },
      { KEY: null, PATH: 'b[0]', INDEX: 0, VALUE: 77, THIS: [77, 88] },
      { KEY: null, PATH: 'b[1]', INDEX: 1, VALUE: 88, THIS: [77, 88] },
      { KEY: 'c', PATH: 'c', INDEX: null, VALUE: { d: 'X' }, THIS: { a: 1, b: [77, 88], c: { d: 'X' } } },
      { KEY: 'd', PATH: 'c.d', INDEX: null, VALUE: 'X', THIS: { d: 'X' } }
    ],
    doc: 'functions/flatten (recursive example)'
  },
  // MODE => 'OBJECT' flattens objects only: b's elements are not expanded, with or without RECURSIVE.
  {
    sql: "select path from table(flatten(input => parse_json('{\"a\":1,\"b\":[77,88],\"c\":{\"d\":\"X\"}}'), recursive => true, mode => 'OBJECT'))",
    rows: [{ PATH: 'a' }, { PATH: 'b' }, { PATH: 'c' }, { PATH: 'c.d' }],
    doc: 'functions/flatten'
  },
  { sql: "select count(*) as c from table(flatten(input => parse_json('{\"a\":[1]}'), mode => 'ARRAY'))", rows: [{ C: 0 }], doc: 'functions/flatten' },
  {
    sql: "select path, value from table(flatten(input => parse_json('[1,[2,{\"k\":3}]]'), recursive => true, mode => 'ARRAY'))",
    rows: [{ PATH: '[0]', VALUE: 1 }, { PATH: '[1]', VALUE: [2, { k: 3 }] }, { PATH: '[1][0]', VALUE: 2 }, { PATH: '[1][1]', VALUE: { k: 3 } }]
  },
  { sql: "select path from table(flatten(input => parse_json('{\"b\":{\"c\":[5]}}'), path => 'b', recursive => true))", rows: [{ PATH: 'b.c' }, { PATH: 'b.c[0]' }] },
  // Constructors and accessors
  { sql: "select object_construct('a', 1, 'b', 'x') as o", rows: [{ O: { a: 1, b: 'x' } }], types: ['object'] },
  { sql: "select array_construct(1, 'a') as a", rows: [{ A: [1, 'a'] }], types: ['array'] },
  { sql: 'select array_size(array_construct(1, 2, 3)) as n', rows: [{ N: 3 }] },
  { sql: "select array_size(parse_json('[1,2]')) as n", rows: [{ N: 2 }] },
  { sql: "select object_keys(parse_json('{\"a\":1,\"b\":2}')) as k", rows: [{ K: ['a', 'b'] }], types: ['array'], doc: 'functions/object_keys' },
  { sql: 'select array_contains(2::variant, array_construct(1, 2, 3)) as r', rows: [{ R: true }], doc: 'functions/array_contains' },
  { sql: "select array_contains('z'::variant, array_construct('x', 'y')) as r", rows: [{ R: false }] },
  { sql: "select array_to_string(array_construct('a', 'b'), '-') as r", rows: [{ R: 'a-b' }] },
  { sql: 'select array_append(array_construct(1, 2), 3) as r', rows: [{ R: [1, 2, 3] }], types: ['array'] },
  { sql: 'select array_cat(array_construct(1), array_construct(2)) as r', rows: [{ R: [1, 2] }] },
  { sql: "select object_insert(object_construct('a', 1), 'b', 2) as r", rows: [{ R: { a: 1, b: 2 } }], types: ['object'] },
  { sql: "select try_parse_json('not json') as r", rows: [{ R: null }] },
  // TYPEOF reports the type of the value inside the VARIANT.
  { sql: "select typeof(parse_json('1')) as a, typeof(parse_json('1.5')) as b, typeof(parse_json('\"s\"')) as c", rows: [{ A: 'INTEGER', B: 'DECIMAL', C: 'VARCHAR' }], types: ['text', 'text', 'text'], doc: 'functions/typeof' },
  { sql: "select typeof(parse_json('[1]')) as a, typeof(parse_json('{}')) as b, typeof(parse_json('true')) as c, typeof(parse_json('null')) as d", rows: [{ A: 'ARRAY', B: 'OBJECT', C: 'BOOLEAN', D: 'NULL_VALUE' }], doc: 'functions/typeof' },
  { sql: "select is_array(parse_json('[1]')) as a, is_object(parse_json('{}')) as o, is_integer(parse_json('1')) as i", rows: [{ A: true, O: true, I: true }] },
  { sql: "select is_varchar(parse_json('\"a\"')) as s, is_boolean(parse_json('1')) as b, is_null_value(parse_json('null')) as n", rows: [{ S: true, B: false, N: true }] },
  { sql: "select parse_json('{\"a\":1}'):a::number + 1 as r", rows: [{ R: 2 }] },
  { sql: 'select array_agg(v:name::string) within group (order by id desc) as names from events', rows: [{ NAMES: ['b', 'a'] }], types: ['array'], doc: 'functions/array_agg' },
  { sql: 'select e.v:name::string as n from events e where e.id = 1', rows: [{ N: 'a' }] },
  { sql: 'select v:name::string as n from events where v:name::string = ?', binds: ['b'], rows: [{ N: 'b' }] },
  { sql: "select parse_json('{\"a b\":1}'):\"a b\"::int as r", rows: [{ R: 1 }], doc: 'user-guide/querying-semistructured' },
  {
    sql: 'select e.id, f.value::string as tag from events e, lateral flatten(input => e.v:tags) f where f.index = 0',
    rows: [{ ID: 1, TAG: 'x' }]
  },
  {
    sql: "select f.key as k, g.value::int as n from table(flatten(input => parse_json('{\"a\":[1,2]}'))) f, lateral flatten(input => f.value) g order by n",
    rows: [{ K: 'a', N: 1 }, { K: 'a', N: 2 }],
    doc: 'functions/flatten'
  },
  { sql: 'select object_agg(v:name::string, id) as o from events', rows: [{ O: { a: 1, b: 2 } }], types: ['object'] }
]
