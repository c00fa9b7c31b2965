import fs from 'node:fs'
import path from 'node:path'
import { formatReportCsv, type CsvValue } from '../../../shared/csv'
import { auInfo } from '../../../shared/facs'
import type { LibraryDb } from '../../db/open-library'
import type { SkippedCodes } from '../eaf/clip-eaf'
import { frameStartMs, intervalMs, timeZeroFrame } from '../eaf/eaf-time'
import { loadDatasetClips, type ExportClip, type ExportCodes } from './coded-rows'

/** The columns of BORIS's aggregated-events table, in its order. */
export const BORIS_HEADER = [
  'Observation id',
  'Observation date',
  'Description',
  'Media file',
  'Total length',
  'FPS',
  'Subject',
  'Behavior',
  'Behavioral category',
  'Modifiers',
  'Behavior type',
  'Start (s)',
  'Stop (s)',
  'Duration (s)',
  'Comment start',
  'Comment stop',
] as const

/** What a BORIS export wrote. */
export interface BorisExportResult {
  file: string
  rows: number
  skipped: SkippedCodes[]
}

/** Seconds with millisecond precision, from the ms of eaf-time.ts's rule. */
const seconds = (ms: number): string => (ms / 1000).toFixed(3)

/**
 * The rows of one coder's codes on one clip: per AU label a STATE event from the start of the
 * onset frame to the end of the offset frame (times as in the .eaf), behaviour `AU<n>`,
 * category the FACS region, modifiers `side|intensity` ('None' when not coded); the apex as a
 * POINT event.
 */
export function borisRows(
  clip: ExportClip,
  codes: ExportCodes & { onset: number; offset: number },
  date: string,
): CsvValue[][] {
  const zero = timeZeroFrame(clip)
  const span = intervalMs(codes.onset, codes.offset, zero, clip.fps)
  const total = seconds(frameStartMs(clip.firstFrame + clip.frameCount, zero, clip.fps))
  const observation = [
    `${clip.subject}/${clip.name}/${codes.coder}`,
    date,
    `coded by ${codes.coder}`,
    clip.sourcePath,
    total,
    clip.fps,
    clip.subject,
  ]
  const rows: CsvValue[][] = codes.labels.map((label) => [
    ...observation,
    `AU${label.au}`,
    auInfo(label.au)?.region ?? '',
    `${label.side ?? 'None'}|${label.intensity ?? 'None'}`,
    'STATE',
    seconds(span.begin),
    seconds(span.end),
    seconds(span.end - span.begin),
    '',
    '',
  ])
  if (codes.apex !== null) {
    const apex = seconds(frameStartMs(codes.apex, zero, clip.fps))
    const kind = codes.apexEstimated ? 'estimated' : ''
    rows.push([...observation, 'apex', 'timing', '', 'POINT', apex, apex, '0.000', kind, ''])
  }
  return rows
}

/**
 * Writes a dataset's codes as BORIS's aggregated-events CSV: one row per coded AU (a state
 * event over the coder's onset–offset) and one per apex (a point event). Codes without onset
 * or offset are listed in `skipped`.
 */
export function exportBoris(
  db: LibraryDb,
  options: { dataset: string; out: string; coder?: string; date?: Date },
): BorisExportResult {
  const file = path.resolve(options.out)
  const date = (options.date ?? new Date()).toISOString().slice(0, 19).replace('T', ' ')
  const rows: CsvValue[][] = []
  const skipped: SkippedCodes[] = []
  for (const clip of loadDatasetClips(db, options.dataset, options.coder)) {
    for (const codes of clip.codes) {
      const { onset, offset } = codes
      if (onset === null || offset === null) {
        skipped.push({
          clip: `${clip.subject}/${clip.name}`,
          coder: codes.coder,
          reason: 'no onset or offset marked',
        })
      } else rows.push(...borisRows(clip, { ...codes, onset, offset }, date))
    }
  }
  fs.mkdirSync(path.dirname(file), { recursive: true })
  fs.writeFileSync(file, formatReportCsv([BORIS_HEADER, ...rows]), 'utf8')
  return { file, rows: rows.length, skipped }
}
