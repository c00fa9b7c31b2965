import { formatAuCell } from '../../../shared/facs'
import type { ExportClip } from './coded-rows'
import { CASME2_SHEET_HEADER } from '../sheets/casme2-sheet'

/** A cell of an exported sheet. */
export type ExportCell = string | number | null

/**
 * The exported sheet's header: CASME II's columns (with its two blank ones) plus Coder,
 * Coder Kind and Apex Estimated, which the plain sheet importer reads back.
 */
export const EXPORT_HEADER: readonly ExportCell[] = [
  ...CASME2_SHEET_HEADER,
  'Coder',
  'Coder Kind',
  'Apex Estimated',
]

/** Codes an export had to leave out, and why. */
export interface SkippedCodes {
  clip: string
  coder: string
  reason: string
}

/** The rows of an exported sheet. */
export interface ExportSheet {
  rows: ExportCell[][]
  skipped: SkippedCodes[]
}

/**
 * One row per clip and coder: a missing apex is written '/', as CASME II does; the AU cell in
 * sheet notation ('1+2+R12', intensity letters kept); a lone bilateral AU as a number when
 * `numbers` is set (xlsx, like the real sheet). Codes without an onset or offset cannot be a
 * sheet row and are listed in `skipped`.
 */
export function exportSheetRows(clips: readonly ExportClip[], numbers: boolean): ExportSheet {
  const sheet: ExportSheet = { rows: [], skipped: [] }
  for (const clip of clips) {
    for (const codes of clip.codes) {
      if (codes.onset === null || codes.offset === null) {
        sheet.skipped.push({
          clip: `${clip.subject}/${clip.name}`,
          coder: codes.coder,
          reason: 'no onset or offset marked',
        })
        continue
      }
      const single = codes.labels.length === 1 ? codes.labels[0] : null
      const aus =
        numbers && single && !single.side && !single.intensity
          ? single.au
          : formatAuCell(codes.labels)
      sheet.rows.push([
        clip.subject,
        clip.name,
        null,
        codes.onset,
        codes.apex ?? '/',
        codes.offset,
        null,
        aus,
        clip.emotion,
        codes.coder,
        codes.coderKind,
        codes.apexEstimated ? 1 : 0,
      ])
    }
  }
  return sheet
}
