import { CASME2_COLUMNS } from './casme2-sheet'
import { parseCodedSheet, type ParsedSheet, type SheetFormatSpec } from './coded-sheet'
import { cellText, type SheetData } from './sheet'

/**
 * MMEW (`MMEW_Micro_Exp.xlsx`): CASME II's column names plus `remarks` (reported as flags).
 * Subjects are kept as written ('S13'); clips are found by their Filename folder.
 */
export const MMEW_SHEET: SheetFormatSpec = {
  name: 'MMEW',
  columns: [
    ...CASME2_COLUMNS,
    { key: 'note', label: 'remarks', aliases: ['remark'], required: false },
  ],
  subjectCode: (cell) => cellText(cell),
  clipName: (filename) => filename,
}

/** Parses an MMEW coding sheet. */
export function parseMmewSheet(sheet: SheetData): ParsedSheet {
  return parseCodedSheet(sheet, MMEW_SHEET)
}
