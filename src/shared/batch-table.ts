import { formatReportCsv, type CsvValue } from './csv'
import type { DecisionThresholds } from './decision-thresholds'
import type { BatchTable } from './ml'

/** The first columns of a batch table file; the AU columns (`AU<n>`) follow. */
export const BATCH_HEADER = ['Subject', 'Clip', 'File', 'Apex', 'Apex Source'] as const

/** Decimals of a probability in the CSV (the XLSX keeps full precision). */
export const BATCH_CSV_DECIMALS = 4

const SOURCE_WORDS: Record<DecisionThresholds['source'], string> = {
  model: "model's threshold",
  default: 'default: the model chose none',
  user: 'threshold set for the batch',
}

/**
 * The header of an AU's decision column, naming the threshold used and where it came from:
 * "AU4 present (p ≥ 0.35; model's threshold)" (no comma, so even a naive CSV reader keeps it
 * one field).
 */
export function decisionHeader(
  au: string,
  threshold: number,
  source: DecisionThresholds['source'],
) {
  return `AU${au} present (p ≥ ${threshold}; ${SOURCE_WORDS[source]})`
}

/**
 * The header row: the fixed columns, `AU<n>` (probability) per AU of the table, then one
 * decision column per AU (1 when p ≥ its threshold, see {@link decisionHeader}).
 */
export function batchHeader(table: BatchTable): string[] {
  const { values, source } = table.thresholds
  return [
    ...BATCH_HEADER,
    ...table.aus.map((au) => `AU${au}`),
    ...table.aus.map((au, i) => decisionHeader(au, values[i], source)),
  ]
}

/**
 * The table's data rows; probabilities rounded to `decimals` when given, then the decisions
 * (1 / 0) at the table's thresholds. A missing value (NaN) or apex is an empty cell.
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
    ...row.probabilities.map((p, i) =>
      Number.isFinite(p) ? (p >= table.thresholds.values[i] ? 1 : 0) : null,
    ),
  ])
}

/**
 * The batch table as CSV text: the header, then one row per clip with probabilities to
 * 4 decimals and the decisions at the table's thresholds. The engine's batch.csv and the screen's download are this same text.
 */
export function batchCsv(table: BatchTable): string {
  return formatReportCsv([batchHeader(table), ...batchRecords(table, BATCH_CSV_DECIMALS)])
}
