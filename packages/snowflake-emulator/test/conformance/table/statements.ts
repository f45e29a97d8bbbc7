// Statements and clauses: TOP, SAMPLE, VALUES, ILIKE ANY, aggregates, multi-table INSERT, temporary tables,
// session variables, CURRENT_* functions, SYSTEM$WAIT. Pages are under https://docs.snowflake.com/en/sql-reference/.
import type { Case } from '../cases.js'

export const fixture: string[] = [
  'create table emp (id int, name varchar, dept varchar, salary number(10,2), active boolean)',
  `insert into emp values (1, 'Alice', 'ENG', 100.00, true), (2, 'bob', 'ENG', 80.00, false),
   (3, 'Carol', 'OPS', 90.00, true), (4, 'dave', null, null, null)`,
  'create view eng as select * from emp where dept = \'ENG\''
]

export const cases: Case[] = [
  { sql: 'select top 2 id from emp order by id', rows: [{ ID: 1 }, { ID: 2 }], doc: 'constructs/top_n' },
  { sql: 'select top 1 name from emp order by salary desc nulls last', rows: [{ NAME: 'Alice' }] },
  { sql: 'select * from values (1, \'a\'), (2, \'b\')', rows: [{ COLUMN1: 1, COLUMN2: 'a' }, { COLUMN1: 2, COLUMN2: 'b' }], types: ['fixed', 'text'], doc: 'constructs/values' },
  { sql: 'select column1 + 1 as r from values (1), (2) order by r', rows: [{ R: 2 }, { R: 3 }] },
  { sql: "select t.n, t.s from values (1, 'a') as t(n, s)", rows: [{ N: 1, S: 'a' }], doc: 'constructs/values' },
  { sql: "select top 1 name from emp where dept = 'ENG' order by id desc", rows: [{ NAME: 'bob' }] },
  { sql: "select name from emp where decode(dept, 'ENG', 1, 0) = 1 and active order by id", rows: [{ NAME: 'Alice' }] },
  { sql: 'select id, salary / 2 as half from emp where id = 1', rows: [{ ID: 1, HALF: 50 }] },
  { sql: 'select id from emp where salary / nullif(id - 1, 0) > 40 order by id', rows: [{ ID: 2 }, { ID: 3 }] },
  { sql: 'select count(*) as c from emp sample (100)', rows: [{ C: 4 }], doc: 'constructs/sample' },
  { sql: 'select count(*) as c from emp sample (0)', rows: [{ C: 0 }] },
  { sql: 'select count(*) as c from emp tablesample bernoulli (100)', rows: [{ C: 4 }] },
  { sql: 'select count(*) as c from emp sample (2 rows)', rows: [{ C: 2 }], doc: 'constructs/sample' },
  { sql: "select name from emp where name ilike any ('a%', 'B%') order by id", rows: [{ NAME: 'Alice' }, { NAME: 'bob' }], doc: 'functions/ilike_any' },
  { sql: "select name from emp where name like any ('A%', 'C%') order by id", rows: [{ NAME: 'Alice' }, { NAME: 'Carol' }], doc: 'functions/like_any' },
  { sql: "select name from emp where name like all ('%a%', '%l%') order by id", rows: [{ NAME: 'Carol' }] },
  { sql: "select name from emp where name ilike 'ALICE'", rows: [{ NAME: 'Alice' }] },
  { sql: 'select name from emp qualify row_number() over (order by salary desc nulls last) = 1', rows: [{ NAME: 'Alice' }] },
  // ORDER BY puts NULLs last when ascending and first when descending.
  { sql: 'select salary from emp order by salary', rows: [{ SALARY: 80 }, { SALARY: 90 }, { SALARY: 100 }, { SALARY: null }], doc: 'constructs/order-by' },
  { sql: 'select salary from emp order by salary desc', rows: [{ SALARY: null }, { SALARY: 100 }, { SALARY: 90 }, { SALARY: 80 }], doc: 'constructs/order-by' },
  { sql: 'select dept, count(*) as n from emp group by all order by dept', rows: [{ DEPT: 'ENG', N: 2 }, { DEPT: 'OPS', N: 1 }, { DEPT: null, N: 1 }] },
  { sql: 'with e as (select * from emp where active) select count(*) as c from e', rows: [{ C: 2 }] },
  { sql: 'select * exclude (dept, salary, active) from emp where id = 1', rows: [{ ID: 1, NAME: 'Alice' }] },
  // Unaliased columns are named after the expression's text.
  { sql: 'select count(*) from emp', rows: [{ 'COUNT(*)': 4 }] },
  { sql: 'select max(id) from emp', rows: [{ 'MAX(ID)': 4 }] },
  { sql: 'select upper(name) from emp where id = 1', rows: [{ 'UPPER(NAME)': 'ALICE' }] },
  { sql: 'select id, name from emp where id = 1', rows: [{ ID: 1, NAME: 'Alice' }] },
  { sql: 'select e.id from emp e where e.id = 1', rows: [{ ID: 1 }] },
  { sql: 'select id as "lower" from emp where id = 1', rows: [{ lower: 1 }] },
  // Aggregates
  { sql: "select listagg(name, ', ') within group (order by name) as names from emp where dept = 'ENG'", rows: [{ NAMES: 'Alice, bob' }], types: ['text'], doc: 'functions/listagg' },
  { sql: 'select listagg(dept) as d from emp where id < 3', rows: [{ D: 'ENGENG' }], doc: 'functions/listagg' },
  { sql: "select listagg(distinct dept, '|') within group (order by dept) as d from emp", rows: [{ D: 'ENG|OPS' }] },
  { sql: 'select array_agg(id) within group (order by id desc) as ids from emp', rows: [{ IDS: [4, 3, 2, 1] }], types: ['array'] },
  // ARRAY_AGG leaves NULLs out.
  { sql: 'select array_agg(dept) within group (order by id) as d from emp', rows: [{ D: ['ENG', 'ENG', 'OPS'] }], doc: 'functions/array_agg' },
  { sql: 'select boolor_agg(active) as o, booland_agg(active) as a from emp', rows: [{ O: true, A: false }], types: ['boolean', 'boolean'], doc: 'functions/boolor_agg' },
  { sql: 'select count_if(salary > 85) as c from emp', rows: [{ C: 2 }] },
  { sql: 'select sum(salary) as s, avg(salary) as a, min(name) as mn from emp', rows: [{ S: 270, A: 90, MN: 'Alice' }] },
  { sql: 'select median(salary) as m from emp', rows: [{ M: 90 }] },
  { sql: 'select count(distinct dept) as c, approx_count_distinct(dept) as a from emp', rows: [{ C: 2, A: 2 }] },
  { sql: 'select any_value(dept) is not null as r from emp where id < 3', rows: [{ R: true }] },
  // Multi-table INSERT, INSERT OVERWRITE
  {
    setup: ['create or replace table t_small (n int)', 'create or replace table t_big (n int)',
      'insert all when n < 10 then into t_small when n >= 10 then into t_big select column1 as n from values (1), (20), (5)'],
    sql: 'select (select count(*) from t_small) as small, (select count(*) from t_big) as big',
    rows: [{ SMALL: 2, BIG: 1 }],
    doc: 'sql/insert-multi-table'
  },
  {
    setup: ['create or replace table t_a (n int)', 'create or replace table t_b (n int)', 'insert all into t_a into t_b select 7'],
    sql: 'select (select max(n) from t_a) as a, (select max(n) from t_b) as b',
    rows: [{ A: 7, B: 7 }],
    doc: 'sql/insert-multi-table'
  },
  {
    setup: ['create or replace table t_ow (n int)', 'insert into t_ow values (1), (2)', 'insert overwrite into t_ow values (9)'],
    sql: 'select n from t_ow',
    rows: [{ N: 9 }],
    doc: 'sql/insert'
  },
  // Temporary tables live for the session.
  {
    setup: ['create temporary table tmp_one (n int)', 'insert into tmp_one values (1), (2)'],
    sql: 'select count(*) as c from tmp_one',
    rows: [{ C: 2 }],
    doc: 'sql/create-table'
  },
  { setup: ['create temp table tmp_two as select 5 as n'], sql: 'select n from tmp_two', rows: [{ N: 5 }] },
  // Session variables
  { setup: ['set x = 5'], sql: 'select $x + 1 as r', rows: [{ R: 6 }], doc: 'session-variables' },
  { setup: ["set s = 'hello'"], sql: 'select $s as r', rows: [{ R: 'hello' }], types: ['text'] },
  { setup: ["set (a, b) = (1, 'two')"], sql: 'select $a as a, $b as b', rows: [{ A: 1, B: 'two' }], doc: 'sql/set' },
  { setup: ['set m = (select max(id) from emp)'], sql: 'select name from emp where id = $m', rows: [{ NAME: 'dave' }] },
  { setup: ['set x = 1', 'unset x'], sql: 'select $x', error: '002211', doc: 'sql/unset' },
  // CURRENT_* from the session
  { sql: 'select current_user() as u', rows: [{ U: 'ALICE' }], types: ['text'] },
  { sql: 'select current_role() as r, current_warehouse() as w', rows: [{ R: 'SYSADMIN', W: 'COMPUTE_WH' }] },
  { sql: 'select current_database() as d, current_schema() as s', rows: [{ D: 'CONFORMANCE', S: 'PUBLIC' }] },
  { sql: 'select current_account() as a', rows: [{ A: 'TESTACCT' }] },
  { sql: 'select current_version() as v', rows: [{ V: /^\d+\.\d+\.\d+$/ }], partial: true },
  { sql: 'select current_session() as s', rows: [{ S: /^\d+$/ }], partial: true, types: ['text'] },
  { setup: ['select 1'], sql: 'select last_query_id() as q', rows: [{ Q: /^[0-9a-f-]{36}$/ }], partial: true, doc: 'functions/last_query_id' },
  { sql: 'select last_query_id() as q', rows: [{ Q: null }], doc: 'functions/last_query_id' },
  // SYSTEM$WAIT
  { sql: 'call system$wait(1)', rows: [{ SYSTEM$WAIT: 'waited 1 seconds' }], doc: 'functions/system_wait' },
  { sql: "call system$wait(10, 'MILLISECONDS')", rows: [{ SYSTEM$WAIT: 'waited 10 milliseconds' }] },
  { sql: 'select system$wait(1) as w', rows: [{ W: 'waited 1 seconds' }] },
  { setup: ['alter session set statement_timeout_in_seconds = 1'], sql: 'call system$wait(5)', error: '000630', doc: 'parameters#statement-timeout-in-seconds' }
]
