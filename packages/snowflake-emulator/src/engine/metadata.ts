// SHOW, DESCRIBE and EXPLAIN: DuckDB catalog queries that answer with Snowflake's columns (lower-case, as
// Snowflake names them) and values. They need no warehouse, as in Snowflake.
import { SnowflakeError, type StatementContext } from './contract.js'
import { identifierName, sqlString } from './lexer.js'
import { temporaryCatalog } from './database.js'

export interface MetadataQuery {
  /** DuckDB SQL whose columns are already Snowflake's. */
  sql: string
  /** The statement explains this (translated) query, which must compile. */
  explains?: string
  /** SQL that must return a row, else the object does not exist (002003). */
  exists?: { sql: string, name: string }
}

// Sessions' temporary catalogs (database.ts) are not databases of the account.
const HIDDEN_CATALOGS = "('SF_SYSTEM', 'MEMORY', 'SYSTEM', 'TEMP') AND NOT starts_with(database_name, '__SF_TEMP_')"
const CREATED = "TIMESTAMPTZ '2024-01-01 00:00:00+00'"

/** Snowflake's type text for a DuckDB column type (DESCRIBE's `type`). */
const SNOWFLAKE_TYPE = `CASE
  WHEN data_type LIKE 'DECIMAL(%' THEN 'NUMBER' || substr(data_type, 8)
  WHEN data_type IN ('TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT') THEN 'NUMBER(38,0)'
  WHEN data_type = 'VARCHAR' THEN 'VARCHAR(16777216)'
  WHEN data_type IN ('DOUBLE', 'FLOAT') THEN 'FLOAT'
  WHEN data_type = 'TIMESTAMP' THEN 'TIMESTAMP_NTZ(9)'
  WHEN data_type = 'TIMESTAMP WITH TIME ZONE' THEN 'TIMESTAMP_LTZ(9)'
  WHEN data_type LIKE 'UNION(%' THEN 'TIMESTAMP_TZ(9)'
  WHEN data_type = 'TIME' THEN 'TIME(9)'
  WHEN data_type = 'JSON' THEN 'VARIANT'
  WHEN data_type = 'BLOB' THEN 'BINARY(8388608)'
  ELSE data_type END`

/** SHOW COLUMNS' `data_type`: the type as JSON. */
const TYPE_JSON = `CASE
  WHEN data_type LIKE 'DECIMAL(%' OR data_type IN ('TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT')
    THEN json_object('type', 'FIXED', 'precision', coalesce(numeric_precision, 38), 'scale', coalesce(numeric_scale, 0), 'nullable', is_nullable)
  WHEN data_type = 'VARCHAR' THEN json_object('type', 'TEXT', 'length', 16777216, 'byteLength', 16777216, 'nullable', is_nullable, 'fixed', false)
  WHEN data_type IN ('DOUBLE', 'FLOAT') THEN json_object('type', 'REAL', 'nullable', is_nullable)
  WHEN data_type = 'TIMESTAMP' THEN json_object('type', 'TIMESTAMP_NTZ', 'precision', 0, 'scale', 9, 'nullable', is_nullable)
  WHEN data_type = 'TIMESTAMP WITH TIME ZONE' THEN json_object('type', 'TIMESTAMP_LTZ', 'precision', 0, 'scale', 9, 'nullable', is_nullable)
  WHEN data_type = 'JSON' THEN json_object('type', 'VARIANT', 'nullable', is_nullable)
  ELSE json_object('type', data_type, 'nullable', is_nullable) END`

interface Shown {
  object: string
  like: string | null
  scope: string | null
  names: string[]
}

/** Reads `SHOW [TERSE] <objects> [LIKE 'p'] [IN [scope] [name]]` from the statement's words. */
function parseShow (words: string[]): Shown {
  let i = 1
  if (words[i] === 'TERSE') i++
  const object = words[i++] ?? ''
  let like: string | null = null
  let scope: string | null = null
  const names: string[] = []
  while (i < words.length) {
    const w = words[i] as string
    if (w === 'LIKE') {
      like = unquote(words[i + 1] ?? "''")
      i += 2
    } else if (w === 'IN') {
      i++
      if (['ACCOUNT', 'DATABASE', 'SCHEMA', 'TABLE', 'VIEW'].includes(words[i] ?? '')) scope = words[i++] ?? null
      while (i < words.length && words[i] !== ';' && words[i] !== 'LIMIT' && words[i] !== 'STARTS') {
        if (words[i] !== '.') names.push(identifierName(words[i] as string))
        i++
      }
    } else i++
  }
  return { object, like, scope, names }
}

function unquote (literal: string): string {
  return literal.startsWith("'") ? literal.slice(1, -1).replace(/''/g, "'") : literal
}

const likeFilter = (column: string, like: string | null): string =>
  like === null ? '' : ` AND ${column} ILIKE ${sqlString(like)}`

export function showQuery (words: string[], ctx: StatementContext): MetadataQuery {
  const s = parseShow(words)
  const database = (n: number): string => s.names[n] ?? ctx.database ?? ''
  switch (s.object) {
    case 'WAREHOUSES': {
      const names = [...new Set(['COMPUTE_WH', ...(ctx.warehouse === null ? [] : [ctx.warehouse.toUpperCase()])])]
      const rows = names.map(n => `(${sqlString(n)}, ${n === ctx.warehouse?.toUpperCase() ? "'Y'" : "'N'"})`).join(', ')
      return {
        sql: `SELECT name AS "name", 'STARTED' AS "state", 'STANDARD' AS "type", 'X-Small' AS "size",
          1 AS "min_cluster_count", 1 AS "max_cluster_count", 1 AS "started_clusters", 0 AS "running", 0 AS "queued",
          'N' AS "is_default", cur AS "is_current", 600 AS "auto_suspend", 'true' AS "auto_resume", '' AS "available",
          '' AS "provisioning", '' AS "quiescing", '' AS "other", ${CREATED} AS "created_on", ${CREATED} AS "resumed_on",
          ${CREATED} AS "updated_on", 'SYSADMIN' AS "owner", '' AS "comment", 'null' AS "resource_monitor"
          FROM (VALUES ${rows}) AS w(name, cur) WHERE true${likeFilter('name', s.like)} ORDER BY name`
      }
    }
    case 'DATABASES':
      return {
        sql: `SELECT ${CREATED} AS "created_on", upper(database_name) AS "name", 'N' AS "is_default",
          CASE WHEN upper(database_name) = upper(${sqlString(ctx.database ?? '')}) THEN 'Y' ELSE 'N' END AS "is_current",
          '' AS "origin", 'SYSADMIN' AS "owner", '' AS "comment", '' AS "options", '1' AS "retention_time", 'STANDARD' AS "kind"
          FROM duckdb_databases() WHERE upper(database_name) NOT IN ${HIDDEN_CATALOGS}${likeFilter('database_name', s.like)}
          ORDER BY 2`
      }
    case 'SCHEMAS': {
      const db = sqlString(database(0))
      return {
        sql: `SELECT ${CREATED} AS "created_on", name AS "name", 'N' AS "is_default",
          CASE WHEN name = upper(${sqlString(ctx.schema ?? '')}) THEN 'Y' ELSE 'N' END AS "is_current",
          db AS "database_name", 'SYSADMIN' AS "owner", '' AS "comment", '' AS "options", '1' AS "retention_time"
          FROM (SELECT upper(schema_name) AS name, upper(database_name) AS db FROM duckdb_schemas()
            WHERE upper(database_name) = upper(${db}) AND NOT internal AND schema_name <> 'main'
            UNION ALL SELECT 'INFORMATION_SCHEMA', upper(${db})) AS s WHERE true${likeFilter('name', s.like)} ORDER BY name`
      }
    }
    case 'TABLES': case 'VIEWS': case 'OBJECTS': {
      const where = scopeFilter(s, ctx)
      const views = s.object === 'VIEWS'
      const source = views
        ? 'SELECT database_name, schema_name, view_name AS object_name, \'VIEW\' AS kind, 0 AS estimated_size, sql FROM duckdb_views() WHERE NOT internal'
        : 'SELECT database_name, schema_name, table_name AS object_name, \'TABLE\' AS kind, estimated_size, \'\' AS sql FROM duckdb_tables()' +
          (s.object === 'OBJECTS' ? " UNION ALL SELECT database_name, schema_name, view_name, 'VIEW', 0, sql FROM duckdb_views() WHERE NOT internal" : '')
      const columns = views
        ? `${CREATED} AS "created_on", upper(object_name) AS "name", '' AS "reserved", upper(database_name) AS "database_name",
          upper(schema_name) AS "schema_name", 'SYSADMIN' AS "owner", '' AS "comment", sql AS "text", 'false' AS "is_secure",
          'false' AS "is_materialized"`
        : `${CREATED} AS "created_on", upper(object_name) AS "name", upper(database_name) AS "database_name",
          upper(schema_name) AS "schema_name", kind AS "kind", '' AS "comment", '' AS "cluster_by",
          CAST(estimated_size AS BIGINT) AS "rows", CAST(estimated_size * 8 AS BIGINT) AS "bytes", 'SYSADMIN' AS "owner",
          '1' AS "retention_time"`
      return {
        sql: `SELECT ${columns} FROM (${source}) AS o WHERE upper(database_name) NOT IN ${HIDDEN_CATALOGS} AND ${where}` +
          `${likeFilter('object_name', s.like)} ORDER BY "name"`
      }
    }
    case 'COLUMNS': {
      const where = s.scope === 'TABLE' || s.scope === 'VIEW'
        ? tableFilter(s.names, ctx)
        : scopeFilter(s, ctx).replaceAll('object_name', 'table_name')
      return {
        sql: `SELECT upper(table_name) AS "table_name", upper(schema_name) AS "schema_name", upper(column_name) AS "column_name",
          CAST(${TYPE_JSON} AS VARCHAR) AS "data_type", CASE WHEN is_nullable THEN 'true' ELSE 'false' END AS "null?",
          coalesce(column_default, '') AS "default", 'COLUMN' AS "kind", '' AS "expression", coalesce(comment, '') AS "comment",
          upper(database_name) AS "database_name", '' AS "autoincrement"
          FROM duckdb_columns() WHERE upper(database_name) NOT IN ${HIDDEN_CATALOGS} AND ${where}${likeFilter('column_name', s.like)}
          ORDER BY "table_name", column_index`
      }
    }
    default:
      throw new SnowflakeError('001003', '42000', `SQL compilation error:\nsyntax error line 1 at position 5 unexpected '${s.object}'.`)
  }
}

/** The catalog filter for IN ACCOUNT / DATABASE d / SCHEMA [d.]s; the current schema without IN. */
function scopeFilter (s: Shown, ctx: StatementContext): string {
  const db = (name: string | undefined): string => `upper(database_name) = upper(${sqlString(name ?? ctx.database ?? '')})`
  const schema = (name: string | undefined): string => `upper(schema_name) = upper(${sqlString(name ?? ctx.schema ?? 'PUBLIC')})`
  if (s.scope === 'ACCOUNT') return 'true'
  if (s.scope === 'DATABASE') return db(s.names[0])
  if (s.scope === 'SCHEMA' || s.names.length > 0) {
    return s.names.length >= 2 ? `${db(s.names[0])} AND ${schema(s.names[1])}` : `${db(undefined)} AND ${schema(s.names[0])}`
  }
  return `${db(undefined)} AND ${schema(undefined)}`
}

function tableFilter (parts: string[], ctx: StatementContext): string {
  const table = parts[parts.length - 1] ?? ''
  const schema = parts.length >= 2 ? parts[parts.length - 2] as string : ctx.schema ?? 'PUBLIC'
  const database = parts.length >= 3 ? parts[parts.length - 3] as string : ctx.database ?? ''
  const named = `upper(database_name) = upper(${sqlString(database)}) AND upper(schema_name) = upper(${sqlString(schema)}) ` +
    `AND upper(table_name) = upper(${sqlString(table)})`
  if (parts.length > 1) return named
  // An unqualified name is the session's temporary table first, when it has one of that name.
  const temporary = `database_name = ${sqlString(temporaryCatalog(ctx.sessionId))} AND upper(table_name) = upper(${sqlString(table)})`
  return `CASE WHEN EXISTS (SELECT 1 FROM duckdb_columns() WHERE ${temporary}) THEN ${temporary} ELSE ${named} END`
}

/** DESCRIBE | DESC [TABLE | VIEW] name. */
export function describeQuery (words: string[], ctx: StatementContext): MetadataQuery {
  let i = 1
  if (words[i] === 'TABLE' || words[i] === 'VIEW') i++
  const parts = words.slice(i).filter(w => w !== '.' && w !== ';').map(identifierName)
  return {
    exists: { sql: `SELECT 1 FROM duckdb_columns() WHERE ${tableFilter(parts, ctx)} LIMIT 1`, name: parts.join('.') },
    sql: `SELECT upper(column_name) AS "name", ${SNOWFLAKE_TYPE} AS "type", 'COLUMN' AS "kind",
      CASE WHEN is_nullable THEN 'Y' ELSE 'N' END AS "null?", column_default AS "default", 'N' AS "primary key",
      'N' AS "unique key", NULL::VARCHAR AS "check", NULL::VARCHAR AS "expression", comment AS "comment",
      NULL::VARCHAR AS "policy name", NULL::VARCHAR AS "privacy domain"
      FROM duckdb_columns() WHERE ${tableFilter(parts, ctx)} ORDER BY column_index`
  }
}

/** The columns of EXPLAIN's tabular output; the plan itself is DuckDB's, so only its shape is Snowflake's. */
export function explainQuery (translated: string, tables: string[][]): MetadataQuery {
  const scans = tables.map((t, n) => `(1, ${n + 1}, 0, 'TableScan', ${sqlString(t.join('.'))})`)
  const rows = ["(NULL, NULL, NULL, 'GlobalStats', NULL)", "(1, 0, NULL, 'Result', NULL)", ...scans].join(', ')
  return {
    sql: `SELECT step AS "step", id AS "id", parent AS "parent", operation AS "operation", objects AS "objects",
      NULL::VARCHAR AS "alias", NULL::VARCHAR AS "expressions", ${tables.length} AS "partitionsTotal",
      ${tables.length} AS "partitionsAssigned", 0 AS "bytesAssigned"
      FROM (VALUES ${rows}) AS p(step, id, parent, operation, objects)`,
    explains: translated
  }
}
