import type { Database } from 'better-sqlite3'

/**
 * One schema step. Versions go up in steps of 10 from 1000 (Signal Desktop's habit), so a
 * fix can slot in between; `up` runs inside the transaction that applies all pending steps.
 */
export interface Migration {
  version: number
  name: string
  up(db: Database): void
}
