import fs from 'node:fs'
import path from 'node:path'
import { batchCsv, batchHeader, batchRecords } from '../../shared/batch-table'
import type { BatchTable } from '../../shared/ml'

/** File names of a batch table in its output folder. */
export const BATCH_FILES = { csv: 'batch.csv', xlsx: 'batch.xlsx' } as const

/** Writes the table as RFC 4180 CSV (UTF-8, CRLF), probabilities with 4 decimals. */
export function writeBatchCsv(table: BatchTable, file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true })
  fs.writeFileSync(file, batchCsv(table))
}

/** Writes the table to the first worksheet ('Batch') of an .xlsx workbook, numbers as numbers. */
export async function writeBatchXlsx(table: BatchTable, file: string): Promise<void> {
  // Loaded on use: ExcelJS takes ~0.5 s to load, which every process importing this would pay.
  const { default: ExcelJs } = await import('exceljs')
  const workbook = new ExcelJs.Workbook()
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
