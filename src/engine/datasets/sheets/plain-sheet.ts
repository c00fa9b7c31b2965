import { CASME2_COLUMNS } from './casme2-sheet'
import { parseCodedSheet, type ParsedSheet, type SheetFormatSpec } from './coded-sheet'
import { cellText, type SheetData } from './sheet'

/**
 * The plain sheet: the CASME II columns, plus the optional columns our exports add (Coder,
 * Coder Kind, Apex Estimated), in a .csv or .xlsx file. Subjects are kept as written; the
 * importer matches them to folders.
 */
export const PLAIN_SHEET: SheetFormatSpec = {
  name: 'CSV',
  columns: [
    ...CASME2_COLUMNS,
    { key: 'coder', label: 'Coder', required: false },
    { key: 'coderKind', label: 'Coder Kind', required: false },
    { key: 'apexEstimated', label: 'Apex Estimated', required: false },
  ],
  subjectCode: (cell) => cellText(cell),
  clipName: (filename) => filename,
}

/** Parses a plain sheet (CASME II columns, optional Coder / Coder Kind / Apex Estimated). */
export function parsePlainSheet(sheet: SheetData): ParsedSheet {
  return parseCodedSheet(sheet, PLAIN_SHEET)
}
