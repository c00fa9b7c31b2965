import fs from 'node:fs'
import path from 'node:path'
import type { LibraryDb } from '../../db/open-library'
import { formatCsv } from '../../../shared/csv'
import { loadDatasetClips } from './coded-rows'
import { EXPORT_HEADER, exportSheetRows, type SkippedCodes } from './sheet-rows'

/** What to export. */
export interface SheetExportOptions {
  dataset: string
  /** The file to write (.csv or .xlsx). */
  out: string
  /** Only this coder's codes; default every coder's. */
  coder?: string
}

/** What a sheet export wrote. */
export interface SheetExportResult {
  file: string
  /** Data rows written (one per clip and coder). */
  rows: number
  skipped: SkippedCodes[]
}

/**
 * Writes a dataset's codes as RFC 4180 CSV (UTF-8, CRLF) with the CASME II columns plus
 * Coder, Coder Kind and Apex Estimated; `importPlainCsv` reads it back to the same markers
 * and labels.
 */
export function exportCsv(db: LibraryDb, options: SheetExportOptions): SheetExportResult {
  const file = path.resolve(options.out)
  const sheet = exportSheetRows(loadDatasetClips(db, options.dataset, options.coder), false)
  fs.mkdirSync(path.dirname(file), { recursive: true })
  fs.writeFileSync(file, formatCsv([EXPORT_HEADER, ...sheet.rows]), 'utf8')
  return { file, rows: sheet.rows.length, skipped: sheet.skipped }
}

/**
 * Writes the same sheet as `exportCsv` to the first worksheet of an .xlsx workbook, frame
 * numbers as numbers and a lone AU as a number, as CASME II's sheet has them.
 */
export async function exportXlsx(
  db: LibraryDb,
  options: SheetExportOptions,
): Promise<SheetExportResult> {
  const file = path.resolve(options.out)
  const sheet = exportSheetRows(loadDatasetClips(db, options.dataset, options.coder), true)
  // Loaded on use: ExcelJS takes ~0.5 s to load, which every process importing this would pay.
  const { default: ExcelJs } = await import('exceljs')
  const workbook = new ExcelJs.Workbook()
  const worksheet = workbook.addWorksheet(
    options.dataset.slice(0, 31).replace(/[\\/?*[\]:]/g, '_') || 'Sheet1',
  )
  worksheet.addRow([...EXPORT_HEADER])
  for (const row of sheet.rows) worksheet.addRow(row)
  fs.mkdirSync(path.dirname(file), { recursive: true })
  await workbook.xlsx.writeFile(file)
  return { file, rows: sheet.rows.length, skipped: sheet.skipped }
}
