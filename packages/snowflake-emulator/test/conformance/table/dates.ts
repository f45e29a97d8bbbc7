// Dates and times. Values come back as the driver formats them with the default output formats
// (DATE 'YYYY-MM-DD', TIMESTAMP_NTZ 'YYYY-MM-DD HH24:MI:SS.FF3', TIME 'HH24:MI:SS').
// Pages are under https://docs.snowflake.com/en/sql-reference/functions/<name>.
import type { Case } from '../cases.js'

export const cases: Case[] = [
  // DATEADD on a DATE with a date part of a day or more stays a DATE.
  { sql: "select dateadd(month, 1, '2024-01-31'::date) as r", rows: [{ R: '2024-02-29' }], types: ['date'], doc: 'functions/dateadd' },
  { sql: "select dateadd(day, 1, '2024-01-01'::date) as r", rows: [{ R: '2024-01-02' }], types: ['date'] },
  { sql: "select dateadd(year, -1, '2024-02-29'::date) as r", rows: [{ R: '2023-02-28' }], types: ['date'] },
  { sql: "select dateadd(hour, 2, '2024-01-01 10:00:00'::timestamp_ntz) as r", rows: [{ R: '2024-01-01 12:00:00.000' }], types: ['timestamp_ntz'] },
  { sql: "select timestampadd(minute, 30, '2024-01-01 10:00:00'::timestamp_ntz) as r", rows: [{ R: '2024-01-01 10:30:00.000' }] },
  { sql: "select add_months('2024-01-31'::date, 1) as r", rows: [{ R: '2024-02-29' }], types: ['date'], doc: 'functions/add_months' },
  { sql: "select '2024-01-01'::date + 1 as r", rows: [{ R: '2024-01-02' }], types: ['date'] },
  // DATEDIFF counts the part boundaries crossed; text arguments are cast.
  { sql: "select datediff(day, '2024-01-01', '2024-03-01') as r", rows: [{ R: 60 }], types: ['fixed'], doc: 'functions/datediff' },
  { sql: "select datediff(year, '2023-12-31', '2024-01-01') as r", rows: [{ R: 1 }], doc: 'functions/datediff' },
  { sql: "select datediff(month, '2024-01-31'::date, '2024-02-01'::date) as r", rows: [{ R: 1 }] },
  { sql: "select datediff(hour, '2024-01-01 10:59:00'::timestamp_ntz, '2024-01-01 11:00:00'::timestamp_ntz) as r", rows: [{ R: 1 }] },
  { sql: "select timestampdiff(minute, '2024-01-01 10:00:00'::timestamp_ntz, '2024-01-01 11:30:00'::timestamp_ntz) as r", rows: [{ R: 90 }] },
  // DATE_TRUNC keeps the input's type.
  { sql: "select date_trunc('month', '2024-05-17'::date) as r", rows: [{ R: '2024-05-01' }], types: ['date'], doc: 'functions/date_trunc' },
  { sql: "select date_trunc('hour', '2024-05-17 10:45:12'::timestamp_ntz) as r", rows: [{ R: '2024-05-17 10:00:00.000' }], types: ['timestamp_ntz'] },
  { sql: "select last_day('2024-02-10'::date) as r", rows: [{ R: '2024-02-29' }], types: ['date'] },
  { sql: "select last_day('2024-02-10'::date, 'year') as r", rows: [{ R: '2024-12-31' }], doc: 'functions/last_day' },
  { sql: 'select date_from_parts(2024, 1, 31) as r', rows: [{ R: '2024-01-31' }], types: ['date'] },
  // Out-of-range months and days carry over.
  { sql: 'select date_from_parts(2024, 13, 1) as r', rows: [{ R: '2025-01-01' }], doc: 'functions/date_from_parts' },
  { sql: 'select datefromparts(2024, 3, 0) as r', rows: [{ R: '2024-02-29' }], doc: 'functions/date_from_parts' },
  { sql: 'select time_from_parts(12, 30, 5) as r', rows: [{ R: '12:30:05' }], types: ['time'] },
  { sql: 'select timestamp_from_parts(2024, 1, 2, 3, 4, 5) as r', rows: [{ R: '2024-01-02 03:04:05.000' }], types: ['timestamp_ntz'] },
  { sql: "select time_slice('2024-01-01 10:07:00'::timestamp_ntz, 15, 'MINUTE') as r", rows: [{ R: '2024-01-01 10:00:00.000' }], types: ['timestamp_ntz'], doc: 'functions/time_slice' },
  { sql: "select time_slice('2024-01-01 10:07:00'::timestamp_ntz, 15, 'MINUTE', 'END') as r", rows: [{ R: '2024-01-01 10:15:00.000' }], doc: 'functions/time_slice' },
  { sql: "select time_slice('2024-05-17'::date, 1, 'MONTH') as r", rows: [{ R: '2024-05-01' }], types: ['date'], doc: 'functions/time_slice' },
  // Integer arguments are seconds since the epoch.
  { sql: 'select to_timestamp_ntz(1700000000) as r', rows: [{ R: '2023-11-14 22:13:20.000' }], types: ['timestamp_ntz'], doc: 'functions/to_timestamp' },
  // Larger numbers are milliseconds, microseconds or nanoseconds.
  { sql: 'select to_timestamp(1700000000123) as r', rows: [{ R: '2023-11-14 22:13:20.123' }], doc: 'functions/to_timestamp' },
  { sql: "select to_timestamp_ntz('1700000000') as r", rows: [{ R: '2023-11-14 22:13:20.000' }], doc: 'functions/to_timestamp' },
  { sql: 'select to_timestamp(0) as r', rows: [{ R: '1970-01-01 00:00:00.000' }], types: ['timestamp_ntz'] },
  { sql: "select to_timestamp_ntz('2024-01-02 03:04:05') as r", rows: [{ R: '2024-01-02 03:04:05.000' }] },
  { sql: "select to_date('2024-01-31') as r", rows: [{ R: '2024-01-31' }], types: ['date'] },
  { sql: "select to_date('31/01/2024', 'DD/MM/YYYY') as r", rows: [{ R: '2024-01-31' }], types: ['date'] },
  { sql: "select try_to_date('not a date') as r", rows: [{ R: null }] },
  { sql: "select to_char('2024-05-17'::date, 'YYYY/MM/DD') as r", rows: [{ R: '2024/05/17' }], types: ['text'] },
  { sql: "select convert_timezone('UTC', 'America/New_York', '2024-01-01 12:00:00'::timestamp_ntz) as r", rows: [{ R: '2024-01-01 07:00:00.000' }], types: ['timestamp_ntz'], doc: 'functions/convert_timezone' },
  { sql: "select convert_timezone('America/Los_Angeles', 'UTC', '2024-07-01 05:00:00'::timestamp_ntz) as r", rows: [{ R: '2024-07-01 12:00:00.000' }] },
  { sql: "select year('2024-05-17'::date) as y, month('2024-05-17'::date) as m, day('2024-05-17'::date) as d", rows: [{ Y: 2024, M: 5, D: 17 }] },
  // With the default WEEK_START (0) Sunday is 0 and Friday 5.
  { sql: "select dayofweek('2024-05-17'::date) as r", rows: [{ R: 5 }], doc: 'functions/year' },
  { sql: "select dayname('2024-05-17'::date) as d, monthname('2024-05-17'::date) as m", rows: [{ D: 'Fri', M: 'May' }], doc: 'functions/dayname' },
  { sql: "select quarter('2024-05-17'::date) as q, dayofyear('2024-02-01'::date) as y", rows: [{ Q: 2, Y: 32 }] },
  { sql: "select extract(year from '2024-05-17'::date) as y, date_part(day, '2024-05-17'::date) as d", rows: [{ Y: 2024, D: 17 }] },
  { sql: "select hour('2024-05-17 10:45:12'::timestamp_ntz) as h, minute('2024-05-17 10:45:12'::timestamp_ntz) as m", rows: [{ H: 10, M: 45 }] },
  { sql: 'select current_date() = current_date as r', rows: [{ R: true }] },
  // A DATE computed by an expression is still a DATE (the DATEADD page: "If date_or_time_expr is a date … and the
  // unit is a day or larger, the return value is a DATE"): the translation reads the type off the tree.
  { sql: "select dateadd(day, 1, case when true then '2024-01-01'::date end) as r", rows: [{ R: '2024-01-02' }], types: ['date'], doc: 'functions/dateadd' },
  { sql: "select dateadd(month, 1, d) as r from (select '2024-01-31'::date as d)", rows: [{ R: '2024-02-29' }], types: ['date'], doc: 'functions/dateadd' },
  { sql: "with q as (select to_date('2024-05-17') as d) select date_trunc('month', q.d) as r from q", rows: [{ R: '2024-05-01' }], types: ['date'], doc: 'functions/date_trunc' },
  { sql: "select add_months(iff(true, '2024-01-31'::date, null), 1) as r", rows: [{ R: '2024-02-29' }], types: ['date'], doc: 'functions/add_months' },
  { sql: "select dateadd(day, 1, (select max(d) from (select '2024-03-01'::date as d))) as r", rows: [{ R: '2024-03-02' }], types: ['date'] },
  { sql: "select dateadd(year, 1, coalesce(null, '2024-02-29'::date)) as r", rows: [{ R: '2025-02-28' }], types: ['date'] },
  { sql: "select dateadd(day, 7, column1) as r from values ('2024-01-01'::date)", rows: [{ R: '2024-01-08' }], types: ['date'] },
  { sql: "select dateadd(week, 1, dateadd(day, 1, '2024-01-01'::date)) as r", rows: [{ R: '2024-01-09' }], types: ['date'] },
  // A part shorter than a day makes a TIMESTAMP_NTZ of the DATE.
  { sql: "select dateadd(hour, 1, case when true then '2024-01-01'::date end) as r", rows: [{ R: '2024-01-01 01:00:00.000' }], types: ['timestamp_ntz'], doc: 'functions/dateadd' },
]

export const fixture: string[] = []
