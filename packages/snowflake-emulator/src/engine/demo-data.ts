// Deterministic demo data: values come from a multiplicative hash of the row number, never from random(), so
// every start (and every test) sees the same rows. The big table is a view over range(), built lazily per query.
import type { DuckDBConnection } from '@duckdb/node-api'

export const DEMO_DATABASE = 'ANALYTICS_DB'
export const CUSTOMER_ROWS = 100000
export const DEFAULT_BIG_TABLE_ROWS = 2000000

const hash = (i: string): string => `((${i} * 2654435761 + 40503) % 4294967296)`

export async function loadDemoData (conn: DuckDBConnection, bigTableRows: number): Promise<void> {
  const rows = Math.max(0, Math.floor(bigTableRows))
  await conn.run(`CREATE TABLE ${DEMO_DATABASE}.PUBLIC.CUSTOMER_SEGMENTS AS
    SELECT
      'C' || lpad(CAST(i AS VARCHAR), 6, '0') AS CUSTOMER_ID,
      (['GOLD', 'SILVER', 'BRONZE', 'PLATINUM'])[1 + (h // 65536) % 4] AS SEGMENT,
      CAST((h % 5000000) / 100 AS DECIMAL(12,2)) AS LIFETIME_VALUE,
      (['EMEA', 'AMER', 'APAC', 'LATAM'])[1 + (h // 262144) % 4] AS REGION,
      TIMESTAMP '2024-01-01 00:00:00' + to_seconds(CAST(h % 31536000 AS BIGINT)) AS UPDATED_AT
    FROM (SELECT i, ${hash('i')} AS h FROM range(1, ${CUSTOMER_ROWS + 1}) AS r(i))
    ORDER BY i`)
  await conn.run(`CREATE VIEW ${DEMO_DATABASE}.PUBLIC.INTERACTION_EVENTS AS
    SELECT
      i AS EVENT_ID,
      'C' || lpad(CAST(1 + h % ${CUSTOMER_ROWS} AS VARCHAR), 6, '0') AS CUSTOMER_ID,
      (['VOICE', 'CHAT', 'EMAIL', 'SMS', 'SOCIAL'])[1 + (h // 65536) % 5] AS CHANNEL,
      CAST((h // 8) % 360000 / 100 AS DECIMAL(10,2)) AS DURATION_SECONDS,
      TIMESTAMP '2024-01-01 00:00:00' + to_seconds(i * 13) AS EVENT_TS
    FROM (SELECT i, ${hash('i')} AS h FROM range(1, ${rows + 1}) AS r(i))`)
}
