import {
  numberedSubject,
  parseCodedSheet,
  type CodedColumn,
  type ParsedSheet,
  type SheetFormatSpec,
} from './coded-sheet'
import type { ColumnSpec } from './header'
import type { SheetData } from './sheet'

/**
 * SAMM (`SAMM_Micro_FACS_Codes_v2.xlsx`): 13 rows of preamble, header on Excel row 14:
 * Subject | Filename | Inducement Code | Onset Frame | Apex Frame | Offset Frame | Duration |
 * Micro | Action Units | Estimated Emotion | Objective Classes | Notes. Inducement code,
 * duration, type and objective class are not read (the library has no place for them or
 * derives them); notes are reported as flags.
 */
export const SAMM_SHEET: SheetFormatSpec = {
  name: 'SAMM',
  columns: [
    { key: 'subject', label: 'Subject', required: true },
    { key: 'filename', label: 'Filename', required: true },
    { key: 'onset', label: 'Onset Frame', aliases: ['Onset'], required: true },
    { key: 'apex', label: 'Apex Frame', aliases: ['Apex'], required: true },
    { key: 'offset', label: 'Offset Frame', aliases: ['Offset'], required: true },
    { key: 'aus', label: 'Action Units', required: true },
    { key: 'emotion', label: 'Estimated Emotion', aliases: ['Emotion'], required: false },
    { key: 'note', label: 'Notes', required: false },
  ] satisfies readonly ColumnSpec<CodedColumn>[],
  subjectCode: (cell) => numberedSubject(cell, '', 3),
  clipName: (filename) => filename,
}

/**
 * Parses a SAMM sheet: `R12 + R15`, `R14A` (intensity kept), "or" alternatives (flagged),
 * apexes outside [onset, offset] (flagged, stored as written). Subject 6 → folder '006'.
 */
export function parseSammSheet(sheet: SheetData): ParsedSheet {
  return parseCodedSheet(sheet, SAMM_SHEET)
}
