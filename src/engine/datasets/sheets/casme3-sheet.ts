import { cellText } from './sheet'
import { parseCodedSheet, type ParsedSheet, type SheetFormatSpec } from './coded-sheet'
import type { SheetData } from './sheet'

/**
 * CAS(ME)³ part A (`cas(me)3_part_A_ME_label_JpgIndex_v2.xlsx`): Subject | Filename | Onset |
 * Apex | Offset | AU | Objective class | emotion. One long video ('spNO.1/a') holds several
 * micro-expressions, so a clip is named after the video and its onset: 'a_123'.
 */
export const CASME3_SHEET: SheetFormatSpec = {
  name: 'CAS(ME)³',
  columns: [
    { key: 'subject', label: 'Subject', required: true },
    { key: 'filename', label: 'Filename', required: true },
    { key: 'onset', label: 'Onset', aliases: ['OnsetFrame'], required: true },
    { key: 'apex', label: 'Apex', aliases: ['ApexFrame'], required: true },
    { key: 'offset', label: 'Offset', aliases: ['OffsetFrame'], required: true },
    { key: 'aus', label: 'AU', aliases: ['AUs', 'Action Units'], required: true },
    { key: 'emotion', label: 'emotion', aliases: ['Estimated Emotion'], required: false },
  ],
  subjectCode: (cell) => cellText(cell),
  clipName: (filename, onset) => `${filename}_${onset}`,
}

/** Parses a CAS(ME)³ part A sheet (AU prefixes R, L, T, B: `T18`, `B28`). */
export function parseCasme3Sheet(sheet: SheetData): ParsedSheet {
  return parseCodedSheet(sheet, CASME3_SHEET)
}
