import fs from 'node:fs'
import path from 'node:path'
import {
  batchCsv,
  batchHeader,
  batchRecords,
  participantCsv,
  participantHeader,
  participantRecords,
} from '../../shared/batch-table'
import type { BatchTable } from '../../shared/ml'

/** File names of a batch table in its output folder. */
export const BATCH_FILES = {
  csv: 'batch.csv',
  participantsCsv: 'batch-participants.csv',
  xlsx: 'batch.xlsx',
} as const

/** Writes the table as RFC 4180 CSV (UTF-8, CRLF), probabilities with 4 decimals. */
export function writeBatchCsv(table: BatchTable, file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true })
  fs.writeFileSync(file, batchCsv(table))
}

/**
 * Writes the events to the first worksheet ('Batch') and the per-participant counts to the
 * second ('Participants') of an .xlsx workbook, numbers as numbers.
 */
export async function writeBatchXlsx(table: BatchTable, file: string): Promise<void> {
  // Loaded on use: ExcelJS takes ~0.5 s to load, which every process importing this would pay.
  const { default: ExcelJs } = await import('exceljs')
  const workbook = new ExcelJs.Workbook()
  const sheets = [
    { name: 'Batch', header: batchHeader(table), records: batchRecords(table) },
    { name: 'Participants', header: participantHeader(table), records: participantRecords(table) },
  ]
  for (const { name, header, records } of sheets) {
    const sheet = workbook.addWorksheet(name)
    sheet.addRow(header)
    for (const record of records) sheet.addRow(record)
    sheet.getRow(1).font = { bold: true }
    sheet.views = [{ state: 'frozen', ySplit: 1 }]
  }
  fs.mkdirSync(path.dirname(file), { recursive: true })
  await workbook.xlsx.writeFile(file)
}

/** Writes the events CSV, the participants CSV and the XLSX into `outDir`; returns their absolute paths. */
export async function writeBatchFiles(
  table: BatchTable,
  outDir: string,
): Promise<{ csv: string; participantsCsv: string; xlsx: string }> {
  const csv = path.resolve(outDir, BATCH_FILES.csv)
  const participantsCsv = path.resolve(outDir, BATCH_FILES.participantsCsv)
  const xlsx = path.resolve(outDir, BATCH_FILES.xlsx)
  writeBatchCsv(table, csv)
  fs.writeFileSync(participantsCsv, participantCsv(table))
  await writeBatchXlsx(table, xlsx)
  return { csv, participantsCsv, xlsx }
}
