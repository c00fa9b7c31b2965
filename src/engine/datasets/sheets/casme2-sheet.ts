import {
  numberedSubject,
  parseCodedSheet,
  type ParsedSheet,
  type SheetFormatSpec,
} from './coded-sheet'
import type { ColumnSpec } from './header'
import type { CodedColumn } from './coded-sheet'
import type { SheetData } from './sheet'

/**
 * The CASME II columns (`CASME2-coding-*.xlsx`), also the core of MMEW's sheet and of our
 * plain CSV: Subject | Filename | (blank) | OnsetFrame | ApexFrame | OffsetFrame | (blank) |
 * Action Units | Estimated Emotion. Blank columns are skipped because columns are found by
 * header name.
 */
/** The header row of the released CASME II sheet, with its two blank columns. */
export const CASME2_SHEET_HEADER: readonly (string | null)[] = [
  'Subject',
  'Filename',
  null,
  'OnsetFrame',
  'ApexFrame',
  'OffsetFrame',
  null,
  'Action Units',
  'Estimated Emotion',
]

export const CASME2_COLUMNS: readonly ColumnSpec<CodedColumn>[] = [
  { key: 'subject', label: 'Subject', required: true },
  { key: 'filename', label: 'Filename', aliases: ['File name'], required: true },
  { key: 'onset', label: 'OnsetFrame', aliases: ['Onset'], required: true },
  { key: 'apex', label: 'ApexFrame', aliases: ['Apex'], required: true },
  { key: 'offset', label: 'OffsetFrame', aliases: ['Offset'], required: true },
  { key: 'aus', label: 'Action Units', aliases: ['AUs', 'AU'], required: true },
  { key: 'emotion', label: 'Estimated Emotion', aliases: ['Emotion'], required: false },
]

/** CASME II: subject 1 → folder 'sub01'; the Filename ('EP02_01f') is the clip folder. */
export const CASME2_SHEET: SheetFormatSpec = {
  name: 'CASME II',
  columns: CASME2_COLUMNS,
  subjectCode: (cell) => numberedSubject(cell, 'sub', 2),
  clipName: (filename) => filename,
}

/**
 * Parses a CASME II coding sheet: `/` apexes become missing (flagged), single AUs stored as
 * numbers (`12`, `12.0`) and sided codes (`R12`, `L10`) are read by the shared tokenizer.
 */
export function parseCasme2Sheet(sheet: SheetData): ParsedSheet {
  return parseCodedSheet(sheet, CASME2_SHEET)
}
