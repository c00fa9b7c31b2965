/**
 * A spreadsheet as the sheet parsers see it: rows of plain cells, each row numbered the way
 * the user sees it in Excel (1-based), whether it came from an xlsx file or a CSV file.
 */

/** One cell after normalisation: numbers stay numbers, everything else becomes text. */
export type SheetCell = string | number | null

/** One row of a sheet; `cells[0]` is column A. */
export interface SheetRow {
  /** 1-based row number as Excel shows it (for CSV: the record number). */
  row: number
  cells: SheetCell[]
}

/** A whole sheet, tagged with the file it came from so errors can name it. */
export interface SheetData {
  file: string
  rows: SheetRow[]
}

/** Excel column letters of a 0-based column index: 0 → 'A', 26 → 'AA'. */
export function columnLetter(index: number): string {
  let letters = ''
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) {
    letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters
  }
  return letters
}

/** The text of a cell, trimmed ('' for an empty cell). */
export function cellText(cell: SheetCell | undefined): string {
  if (cell === null || cell === undefined) return ''
  return typeof cell === 'number' ? String(cell) : cell.trim()
}

/** Whether every cell of a row is empty or blank. */
export function isBlankRow(row: SheetRow): boolean {
  return row.cells.every((c) => cellText(c) === '')
}
