import type { ImportFlagInfo } from '../../../shared/domain'
import { formatReportCsv } from '../../../shared/csv'

/** What each flag code means, in a few words a coder understands. */
export const FLAG_LABELS: Record<string, string> = {
  missing_apex: 'No apex in the sheet',
  apex_outside_clip: 'Apex outside onset–offset',
  unknown_au_token: 'AU not understood',
  duplicate_au: 'Same AU twice in a cell',
  au_alternative: 'AUs given as alternatives',
  au_uncertain: 'AU marked uncertain (?)',
  no_au_codes: 'Row without AUs',
  duplicate_row: 'Row repeats an earlier one',
  sheet_note: 'Note in the sheet',
  missing_clip_folder: 'No frames for this row',
  ambiguous_clip_folder: 'Several folders match',
  missing_frames: 'Gaps in the frames',
  duplicate_frame: 'Two files for one frame',
  marker_outside_frames: 'Marker outside the frames',
  unreadable_image: 'Unreadable image',
  stray_file: 'File that is not a frame',
  clip_not_in_sheet: 'Folder no row codes',
  frames_variant: 'Raw and cropped frames found',
  subject_assumed: 'Subject assumed',
  fps_assumed: 'Frame rate assumed',
  tier_not_mapped: 'ELAN tier not read',
  extra_annotation: 'More annotations than a clip keeps',
  time_between_frames: 'Time between two frames',
}

/** The words for a flag code (the code itself when it is new). */
export function flagLabel(code: string): string {
  return FLAG_LABELS[code] ?? code
}

/** The CSV columns of a flag export, in order. */
export const FLAG_CSV_HEADER = ['code', 'message', 'file', 'row', 'column', 'clip'] as const

/**
 * The flags as CSV (RFC 4180: comma-separated, CRLF line ends, quotes doubled inside quoted
 * fields), one row per flag with code, message, file, row, column and clip; absent values
 * are empty fields.
 */
export function flagsCsv(flags: readonly ImportFlagInfo[]): string {
  return formatReportCsv([
    FLAG_CSV_HEADER,
    ...flags.map((f) => [f.code, f.message, f.file, f.row, f.column, f.clip]),
  ])
}

/** How many flags of each code, most frequent first (ties by code). */
export function countFlags(flags: readonly ImportFlagInfo[]): { code: string; count: number }[] {
  const counts = new Map<string, number>()
  for (const f of flags) counts.set(f.code, (counts.get(f.code) ?? 0) + 1)
  return [...counts]
    .map(([code, count]) => ({ code, count }))
    .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code))
}
