import fs from 'node:fs'
import path from 'node:path'
import type ExcelJS from 'exceljs'
import { AppError } from '../../../shared/errors'
import { parseCsv } from './csv'
import type { SheetCell, SheetData, SheetRow } from './sheet'

/**
 * Reads a coding sheet file into plain rows: the first worksheet of an .xlsx/.xlsm workbook,
 * or an RFC 4180 .csv file (every CSV cell is text; an empty field is null). Other files
 * (including the old binary .xls) are refused with an `unsupported` error.
 */
export async function readSheetFile(file: string): Promise<SheetData> {
  const ext = path.extname(file).toLowerCase()
  if (!fs.existsSync(file)) {
    throw new AppError('not_found', `Sheet ${file} does not exist`, { file })
  }
  if (ext === '.csv') {
    const records = parseCsv(fs.readFileSync(file, 'utf8'), file)
    return {
      file,
      rows: records.map((fields, i) => ({
        row: i + 1,
        cells: fields.map((f) => (f.trim() === '' ? null : f)),
      })),
    }
  }
  if (ext === '.xlsx' || ext === '.xlsm') return readXlsx(file)
  throw new AppError(
    'unsupported',
    `${file}: cannot read ${ext || 'files without an extension'} sheets; save it as .xlsx or .csv`,
    { file },
  )
}

async function readXlsx(file: string): Promise<SheetData> {
  // Loaded on use: ExcelJS takes ~0.5 s to load, which every process importing this would pay.
  const { default: ExcelJs } = await import('exceljs')
  const workbook = new ExcelJs.Workbook()
  try {
    await workbook.xlsx.readFile(file)
  } catch (error) {
    throw new AppError(
      'invalid_file',
      `${file} is not a readable xlsx workbook: ${(error as Error).message}`,
      {
        file,
      },
    )
  }
  const sheet = workbook.worksheets[0]
  if (!sheet) throw new AppError('invalid_file', `${file} has no worksheet`, { file })
  const rows: SheetRow[] = []
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: SheetCell[] = []
    for (let c = 1; c <= row.cellCount; c++) cells.push(normaliseCell(row.getCell(c).value))
    rows.push({ row: rowNumber, cells })
  })
  return { file, rows }
}

/**
 * One exceljs cell value as a plain cell: rich text and hyperlinks become their text,
 * formulas their cached result, booleans 'TRUE'/'FALSE', dates ISO text, errors their code
 * ('#N/A'). Blank text becomes null.
 */
export function normaliseCell(value: ExcelJS.CellValue): SheetCell {
  if (value === null || value === undefined) return null
  if (typeof value === 'number') return Number.isFinite(value) ? value : null
  if (typeof value === 'string') return value.trim() === '' ? null : value
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE'
  if (value instanceof Date) return value.toISOString()
  if ('richText' in value) return normaliseCell(value.richText.map((r) => r.text).join(''))
  if ('formula' in value || 'sharedFormula' in value) {
    return value.result === undefined ? null : normaliseCell(value.result)
  }
  if ('error' in value) return value.error
  if ('hyperlink' in value) {
    // exceljs may hand the link text over as rich text
    const text = value.text as unknown
    return typeof text === 'object' && text !== null
      ? normaliseCell(text as ExcelJS.CellValue)
      : normaliseCell(String(text))
  }
  return null
}
