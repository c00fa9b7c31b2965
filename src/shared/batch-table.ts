import { auPresent, eventTimes } from './batch-counts'
import { formatReportCsv, type CsvValue } from './csv'
import type { DecisionThresholds } from './decision-thresholds'
import type { BatchTable } from './ml'

/**
 * The first columns of a batch table file; per AU `AU<n>` (probability) and then per AU a
 * decision column (0/1 at the AU's threshold, see decisionHeader) follow. Frames are the video's 1-based numbers,
 * times in seconds from its start.
 */
export const BATCH_HEADER = [
  'Subject',
  'Video',
  'Kind',
  'Onset Frame',
  'Apex Frame',
  'Offset Frame',
  'Onset (s)',
  'Apex (s)',
  'Offset (s)',
  'Duration (ms)',
  'Score',
  'Apex Source',
  'Clip',
  'File',
] as const

/** The first columns of the per-participant file; `AU<n> Events` per AU follow. */
export const PARTICIPANT_HEADER = [
  'Subject',
  'Videos',
  'Events',
  'Micro',
  'Macro',
  'Clips',
] as const

/** Decimals of a probability in the CSV (the XLSX keeps full precision). */
export const BATCH_CSV_DECIMALS = 4

/** Decimals of times (s), durations (ms) and scores in the CSV. */
const MEASURE_DECIMALS = 3

const SOURCE_WORDS: Record<DecisionThresholds['source'], string> = {
  model: "model's threshold",
  default: 'default: the model chose none',
  user: 'threshold set for the batch',
}

const rounded = (value: number | null, decimals: number | undefined): CsvValue =>
  value === null || !Number.isFinite(value)
    ? null
    : decimals === undefined
      ? value
      : value.toFixed(decimals)

/**
 * The header of an AU's decision column, naming the threshold used and where it came from:
 * "AU4 present (p ≥ 0.35; model's threshold)" (no comma, so even a naive CSV reader keeps it
 * one field).
 */
export function decisionHeader(
  au: string,
  threshold: number,
  source: DecisionThresholds['source'],
) {
  return `AU${au} present (p ≥ ${threshold}; ${SOURCE_WORDS[source]})`
}

/**
 * The header row: the fixed columns, `AU<n>` (probability) per AU of the table, then one
 * decision column per AU (1 when p ≥ its threshold, see {@link decisionHeader}).
 */
export function batchHeader(table: BatchTable): string[] {
  const { values, source } = table.thresholds
  return [
    ...BATCH_HEADER,
    ...table.aus.map((au) => `AU${au}`),
    ...table.aus.map((au, i) => decisionHeader(au, values[i], source)),
  ]
}

/**
 * The table's data rows; probabilities rounded to `decimals` and measures to 3 decimals when
 * given, then the decisions (1 / 0) at the table's thresholds. A missing value (NaN, null) is
 * an empty cell.
 */
export function batchRecords(table: BatchTable, decimals?: number): CsvValue[][] {
  const measures = decimals === undefined ? undefined : MEASURE_DECIMALS
  return table.rows.map((row) => {
    const times = eventTimes(row)
    return [
      row.subject,
      row.video,
      row.kind,
      row.onset,
      row.apex,
      row.offset,
      rounded(times.onset, measures),
      rounded(times.apex, measures),
      rounded(times.offset, measures),
      rounded(times.durationMs, measures),
      rounded(row.score, measures),
      row.apexSource,
      row.clip,
      row.file,
      ...row.probabilities.map((p) => rounded(p, decimals)),
      ...row.probabilities.map((p, a) => auPresent(p, table.thresholds.values[a])),
    ]
  })
}

/**
 * The batch table as CSV text: the header, then one row per event with probabilities to
 * 4 decimals and the decisions at the table's thresholds. The engine's batch.csv and the
 * screen's download are this same text.
 */
export function batchCsv(table: BatchTable): string {
  return formatReportCsv([batchHeader(table), ...batchRecords(table, BATCH_CSV_DECIMALS)])
}

/** The per-participant header: the fixed columns, then `AU<n> Events` per AU. */
export function participantHeader(table: BatchTable): string[] {
  return [...PARTICIPANT_HEADER, ...table.aus.map((au) => `AU${au} Events`)]
}

/** One record per participant: videos, events (all, micro, macro, whole clips), AU counts. */
export function participantRecords(table: BatchTable): CsvValue[][] {
  return table.participants.map((p) => [
    p.subject,
    p.videos,
    p.events.micro + p.events.macro + p.events.clip,
    p.events.micro,
    p.events.macro,
    p.events.clip,
    ...p.auCounts,
  ])
}

/** The per-participant counts as CSV text (the engine's batch-participants.csv). */
export function participantCsv(table: BatchTable): string {
  return formatReportCsv([participantHeader(table), ...participantRecords(table)])
}
