import type { BatchTable } from '../../../shared/ml'

/** Decimals of a probability in the CSV, as the engine writes its batch.csv. */
export const CSV_DECIMALS = 4

function field(value: string | number | null): string {
  if (value === null) return ''
  const text = String(value)
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/**
 * The batch table as the engine's batch.csv has it (RFC 4180, CRLF): Subject, Clip, File,
 * Apex, Apex Source, then AU<n> per AU with 4 decimals; a missing value is an empty field.
 */
export function batchCsv(table: BatchTable): string {
  const header = [
    'Subject',
    'Clip',
    'File',
    'Apex',
    'Apex Source',
    ...table.aus.map((au) => `AU${au}`),
  ]
  const rows = table.rows.map((row) => [
    row.subject,
    row.clip,
    row.file,
    row.apex,
    row.apexSource,
    ...row.probabilities.map((p) =>
      p === null || !Number.isFinite(p) ? null : p.toFixed(CSV_DECIMALS),
    ),
  ])
  return [header, ...rows].map((cells) => cells.map(field).join(',')).join('\r\n') + '\r\n'
}
