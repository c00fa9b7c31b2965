import { formatReportCsv, type CsvValue } from './csv'
import type { BatchTable } from './ml'

/** The first columns of a batch table file; the AU columns (`AU<n>`) follow. */
export const BATCH_HEADER = ['Subject', 'Clip', 'File', 'Apex', 'Apex Source'] as const

/** Decimals of a probability in the CSV (the XLSX keeps full precision). */
export const BATCH_CSV_DECIMALS = 4

/** The header row: the fixed columns, then `AU<n>` per AU of the table. */
export function batchHeader(table: BatchTable): string[] {
  return [...BATCH_HEADER, ...table.aus.map((au) => `AU${au}`)]
}

/**
 * The table's data rows; probabilities rounded to `decimals` when given. A missing value
 * (NaN) or apex is an empty cell.
 */
export function batchRecords(table: BatchTable, decimals?: number): CsvValue[][] {
  return table.rows.map((row) => [
    row.subject,
    row.clip,
    row.file,
    row.apex,
    row.apexSource,
    ...row.probabilities.map((p) =>
      Number.isFinite(p) ? (decimals === undefined ? p : p.toFixed(decimals)) : null,
    ),
  ])
}

/**
 * The batch table as CSV text: the header, then one row per clip with probabilities to
 * 4 decimals. The engine's batch.csv and the screen's download are this same text.
 */
export function batchCsv(table: BatchTable): string {
  return formatReportCsv([batchHeader(table), ...batchRecords(table, BATCH_CSV_DECIMALS)])
}
