import fs from 'node:fs'
import path from 'node:path'
import ExcelJS from 'exceljs'
import type { BatchTable } from '../../shared/ml'
import { formatCsv, type CsvValue } from '../datasets/sheets/csv'

/** The first columns of a batch table file; the AU columns (`AU<n>`) follow. */
export const BATCH_HEADER = ['Subject', 'Clip', 'File', 'Apex', 'Apex Source'] as const

/** Decimals of a probability in the CSV (the XLSX keeps full precision). */
export const CSV_DECIMALS = 4

/** File names of a batch table in its output folder. */
export const BATCH_FILES = { csv: 'batch.csv', xlsx: 'batch.xlsx' } as const

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

/** Writes the table as RFC 4180 CSV (UTF-8, CRLF), probabilities with 4 decimals. */
export function writeBatchCsv(table: BatchTable, file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true })
  fs.writeFileSync(file, formatCsv([batchHeader(table), ...batchRecords(table, CSV_DECIMALS)]))
}

/** Writes the table to the first worksheet ('Batch') of an .xlsx workbook, numbers as numbers. */
export async function writeBatchXlsx(table: BatchTable, file: string): Promise<void> {
  const workbook = new ExcelJS.Workbook()
  const sheet = workbook.addWorksheet('Batch')
  sheet.addRow(batchHeader(table))
  for (const record of batchRecords(table)) sheet.addRow(record)
  sheet.getRow(1).font = { bold: true }
  sheet.views = [{ state: 'frozen', ySplit: 1 }]
  fs.mkdirSync(path.dirname(file), { recursive: true })
  await workbook.xlsx.writeFile(file)
}

/** Writes the CSV and the XLSX into `outDir`; returns their absolute paths. */
export async function writeBatchFiles(
  table: BatchTable,
  outDir: string,
): Promise<{ csv: string; xlsx: string }> {
  const csv = path.resolve(outDir, BATCH_FILES.csv)
  const xlsx = path.resolve(outDir, BATCH_FILES.xlsx)
  writeBatchCsv(table, csv)
  await writeBatchXlsx(table, xlsx)
  return { csv, xlsx }
}
