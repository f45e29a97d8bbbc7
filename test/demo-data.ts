// The emulator's demo customers, computed here from the formula its data is built with
// (packages/snowflake-emulator/src/engine/demo-data.ts), so a test can say which rows the gateway must answer without asking it.

export interface DemoCustomer {
  CUSTOMER_ID: string
  SEGMENT: string
  LIFETIME_VALUE: number
}

const segments = ['GOLD', 'SILVER', 'BRONZE', 'PLATINUM']

/** Customer number `i` (1 … 100,000), as CUSTOMER_ID, SEGMENT and LIFETIME_VALUE. */
export function demoCustomer (i: number): DemoCustomer {
  // Below 2^53 for every i up to 100,000, so plain numbers are exact.
  const h = (i * 2654435761 + 40503) % 4294967296
  return {
    CUSTOMER_ID: 'C' + String(i).padStart(6, '0'),
    SEGMENT: segments[Math.floor(h / 65536) % 4] as string,
    LIFETIME_VALUE: (h % 5000000) / 100
  }
}

/** Customers `from` … `to`, in id order. */
export function demoCustomers (from: number, to: number): DemoCustomer[] {
  return Array.from({ length: to - from + 1 }, (_, k) => demoCustomer(from + k))
}
