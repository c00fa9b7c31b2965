import { AppError } from '../../../shared/errors'
import { cellText, columnLetter, type SheetCell, type SheetData } from './sheet'

/** One column a sheet format reads, with the header spellings it accepts. */
export interface ColumnSpec<K extends string> {
  key: K
  /** The header as the dataset writes it, used in messages. */
  label: string
  /** Accepted spellings besides `label`; compared without case, spaces, '_', '-' or '.'. */
  aliases?: readonly string[]
  required: boolean
}

/** Where a format's columns sit in a sheet. */
export interface HeaderMap<K extends string> {
  /** 1-based row of the header. */
  headerRow: number
  /** 0-based column index of every column found. */
  index: Partial<Record<K, number>>
  /** Header text as the sheet writes it, for every column found. */
  header: Partial<Record<K, string>>
}

/** How header names compare: 'Onset Frame', 'OnsetFrame' and 'onset_frame' are one name. */
function headerKey(text: string): string {
  return text.toLowerCase().replace(/[\s_\-.]+/g, '')
}

/**
 * Finds the header row: the first of the first `maxScan` rows that holds every `anchor`
 * column (SAMM has 13 rows of preamble above it). Then every required column must be in
 * that row; a missing one is an `invalid_file` error naming the file, the header row and
 * the column.
 */
export function findHeader<K extends string>(
  sheet: SheetData,
  specs: readonly ColumnSpec<K>[],
  anchors: readonly K[],
  maxScan = 30,
): HeaderMap<K> {
  const names = new Map<string, ColumnSpec<K>>()
  for (const spec of specs) {
    for (const name of [spec.label, ...(spec.aliases ?? [])]) names.set(headerKey(name), spec)
  }
  for (const row of sheet.rows.slice(0, maxScan)) {
    const map: HeaderMap<K> = { headerRow: row.row, index: {}, header: {} }
    row.cells.forEach((cell, i) => {
      const text = cellText(cell)
      const spec = names.get(headerKey(text))
      if (text !== '' && spec && map.index[spec.key] === undefined) {
        map.index[spec.key] = i
        map.header[spec.key] = text
      }
    })
    if (!anchors.every((k) => map.index[k] !== undefined)) continue
    const missing = specs.find((s) => s.required && map.index[s.key] === undefined)
    if (missing) {
      throw new AppError(
        'invalid_file',
        `${sheet.file}, row ${row.row}: the header has no '${missing.label}' column`,
        { file: sheet.file, row: row.row, column: missing.label },
      )
    }
    return map
  }
  const wanted = specs
    .filter((s) => anchors.includes(s.key))
    .map((s) => `'${s.label}'`)
    .join(' and ')
  throw new AppError(
    'invalid_file',
    `${sheet.file}: no header row with ${wanted} in the first ${maxScan} rows`,
    { file: sheet.file, row: null, column: null },
  )
}

/**
 * An `invalid_file` error about one cell: "<file>, row 7, column E (ApexFrame): <message>".
 */
export function cellError(
  file: string,
  row: number,
  columnIndex: number,
  header: string,
  message: string,
  value: SheetCell | undefined,
): AppError {
  const letter = columnLetter(columnIndex)
  return new AppError(
    'invalid_file',
    `${file}, row ${row}, column ${letter} (${header}): ${message}`,
    {
      file,
      row,
      column: header,
      columnLetter: letter,
      value: cellText(value),
    },
  )
}
