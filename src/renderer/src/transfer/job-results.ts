import type { ImportFlagInfo, Job } from '../../../shared/domain'

/** What a finished import reports (the `datasets.import` job's result), as the UI shows it. */
export interface ImportOutcome {
  datasetId: number
  dataset: string
  format: string
  source: string
  clips: number
  subjects: number
  labels: number
  flags: ImportFlagInfo[]
}

/** What a finished export reports (the `datasets.export` job's result). */
export interface ExportOutcome {
  format: string
  /** The file or folder written. */
  out: string
  /** Rows (sheets), files (key frames) or 1 (manifest). */
  count: number
  /** Codes left out, each with the reason. */
  skipped: { clip?: string; coder?: string; reason?: string }[]
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null
}

/** The report of a succeeded import job, or null when the job carries none. */
export function importOutcome(job: Job | null): ImportOutcome | null {
  const r = job?.status === 'succeeded' ? job.result : null
  if (
    !isRecord(r) ||
    typeof r.datasetId !== 'number' ||
    typeof r.dataset !== 'string' ||
    !Array.isArray(r.flags)
  ) {
    return null
  }
  return {
    datasetId: r.datasetId,
    dataset: r.dataset,
    format: String(r.format ?? ''),
    source: String(r.source ?? ''),
    clips: Number(r.clips ?? 0),
    subjects: Number(r.subjects ?? 0),
    labels: Number(r.labels ?? 0),
    flags: r.flags as ImportFlagInfo[],
  }
}

/** The summary of a succeeded export job, or null when the job carries none. */
export function exportOutcome(job: Job | null): ExportOutcome | null {
  const r = job?.status === 'succeeded' ? job.result : null
  if (!isRecord(r) || typeof r.out !== 'string') return null
  return {
    format: String(r.format ?? ''),
    out: r.out,
    count: Number(r.count ?? 0),
    skipped: Array.isArray(r.skipped) ? (r.skipped as ExportOutcome['skipped']) : [],
  }
}

/** A sentence about what an export wrote: 'Wrote 14 rows to /data/demo.csv.' */
export function describeExport(outcome: ExportOutcome): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`
  switch (outcome.format) {
    case 'csv':
    case 'xlsx':
      return `Wrote ${plural(outcome.count, 'row')} to ${outcome.out}.`
    case 'frames':
      return `Wrote ${plural(outcome.count, 'key frame')} under ${outcome.out}.`
    case 'eaf':
      return `Wrote ${plural(outcome.count, 'ELAN file')} under ${outcome.out}.`
    case 'boris':
      return `Wrote ${plural(outcome.count, 'event')} to ${outcome.out}.`
    default:
      return `Wrote ${outcome.out}.`
  }
}
