// SHOW, DESCRIBE and EXPLAIN with Snowflake's column names; error codes and messages; the warehouse rule.
// Pages are under https://docs.snowflake.com/en/sql-reference/.
import type { Case } from '../cases.js'

export const fixture: string[] = [
  'create table emp (id int not null, name varchar(20), hired date)',
  "insert into emp values (1, 'Alice', '2020-01-01'), (2, 'Bob', '2021-06-30')",
  'create view emp_names as select name from emp'
]

const noWarehouse = { warehouse: undefined }

export const cases: Case[] = [
  // SHOW answers in lower-case column names.
  { sql: 'show warehouses', rows: [{ name: 'COMPUTE_WH', state: 'STARTED', type: 'STANDARD', size: 'X-Small' }], partial: true, doc: 'sql/show-warehouses' },
  { sql: "show warehouses like 'COMPUTE%'", rows: [{ name: 'COMPUTE_WH' }], partial: true },
  { sql: "show databases like 'CONFORM%'", rows: [{ name: 'CONFORMANCE' }], partial: true, doc: 'sql/show-databases' },
  { sql: 'show schemas in database conformance', rows: [{ name: 'INFORMATION_SCHEMA', database_name: 'CONFORMANCE' }, { name: 'PUBLIC', database_name: 'CONFORMANCE' }], partial: true, doc: 'sql/show-schemas' },
  { sql: "show tables like 'EMP'", rows: [{ name: 'EMP', database_name: 'CONFORMANCE', schema_name: 'PUBLIC', kind: 'TABLE', rows: 2 }], partial: true, doc: 'sql/show-tables' },
  { sql: 'show tables in schema conformance.public', rows: [{ name: 'EMP' }], partial: true },
  { sql: 'show views', rows: [{ name: 'EMP_NAMES', database_name: 'CONFORMANCE', schema_name: 'PUBLIC' }], partial: true, doc: 'sql/show-views' },
  {
    sql: 'show columns in table emp',
    rows: [
      { table_name: 'EMP', schema_name: 'PUBLIC', column_name: 'ID', kind: 'COLUMN', database_name: 'CONFORMANCE' },
      { table_name: 'EMP', column_name: 'NAME' },
      { table_name: 'EMP', column_name: 'HIRED' }
    ],
    partial: true,
    doc: 'sql/show-columns'
  },
  { sql: "show columns like 'NA%' in table emp", rows: [{ column_name: 'NAME' }], partial: true },
  {
    todo: 'VARCHAR(n) is stored without its length: DESCRIBE says VARCHAR(16777216)',
    sql: 'describe table emp',
    rows: [
      { name: 'ID', type: 'NUMBER(38,0)', kind: 'COLUMN', 'null?': 'N' },
      { name: 'NAME', type: 'VARCHAR(20)', kind: 'COLUMN', 'null?': 'Y' },
      { name: 'HIRED', type: 'DATE', kind: 'COLUMN', 'null?': 'Y' }
    ],
    partial: true,
    doc: 'sql/desc-table'
  },
  { sql: 'describe table no_such_table', error: '002003' },
  { sql: 'desc view emp_names', rows: [{ name: 'NAME', kind: 'COLUMN' }], partial: true },
  { sql: 'explain select * from emp where id = 1', rows: [{ step: null, id: null, parent: null, operation: 'GlobalStats' }, { step: 1, id: 0, operation: 'Result' }], partial: true, doc: 'sql/explain' },
  // Errors: codes and Snowflake's texts
  { sql: 'select 1/0', error: '100051', message: /Division by zero/ },
  { sql: 'select id / (id - 1) from emp', error: '100051' },
  { sql: "select 'abc'::number", error: '100038', message: /Numeric value 'abc' is not recognized/ },
  { sql: "select to_number('12x')", error: '100038' },
  { sql: "select to_date('nope')", error: '100040', message: /Date 'nope' is not recognized/ },
  { sql: 'select * from no_such_table', error: '002003', message: /Object 'NO_SUCH_TABLE' does not exist or not authorized\./ },
  { sql: 'select * from conformance.nope.emp', error: '002003', message: /Schema 'CONFORMANCE.NOPE' does not exist or not authorized\./ },
  { sql: 'select no_such_col from emp', error: '000904', message: /invalid identifier 'NO_SUCH_COL'/ },
  { sql: 'select no_such_fn(1)', error: '002140', message: /Unknown function NO_SUCH_FN/ },
  { sql: 'selec 1', error: '001003', message: /syntax error/ },
  { sql: 'select 1; select 2', error: '000008' },
  { sql: "insert into emp (id, name) values (null, 'x')", error: '100072', message: /NULL result in a non-nullable column/ },
  // One warehouse rule: compute needs a warehouse however the statement is written; metadata does not.
  { sql: 'select * from emp', connection: noWarehouse, error: '000606', doc: 'user-guide/warehouses-overview' },
  { sql: 'select name from emp where id = ?', binds: [1], connection: noWarehouse, error: '000606' },
  { sql: 'select * from emp_names', connection: noWarehouse, error: '000606' },
  { sql: 'select * from (select id from emp) q', connection: noWarehouse, error: '000606' },
  { sql: 'with q as (select id from emp) select count(*) from q', connection: noWarehouse, error: '000606' },
  { sql: "insert into emp values (3, 'C', null)", connection: noWarehouse, error: '000606' },
  { sql: 'create table emp_copy as select * from emp', connection: noWarehouse, error: '000606' },
  { sql: 'select current_warehouse() as w, current_user() as u', connection: noWarehouse, rows: [{ W: null, U: 'ALICE' }] },
  { sql: "show tables like 'EMP'", connection: noWarehouse, rows: [{ name: 'EMP' }], partial: true },
  { sql: 'describe table emp', connection: noWarehouse, rows: [{ name: 'ID' }], partial: true },
  { sql: 'create or replace table emp_empty (n int)', connection: noWarehouse, rows: [{ status: 'Table EMP_EMPTY successfully created.' }] }
]
