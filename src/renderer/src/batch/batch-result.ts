import type { BatchResult } from '../../../shared/ml'

/** What a finished batch.analyze job answers (the contract's BatchResult and a few extras). */
export interface BatchJobResult extends Omit<BatchResult, 'participantsCsv'> {
  /** The per-participant CSV (null for a batch of an older version, which wrote none). */
  participantsCsv: string | null
  /** The dataset's name (the folder's, or a free variant of the name asked for). */
  dataset: string | null
  /** The folder the CSV and XLSX went into. */
  outDir: string | null
  /** Clips where face crop found no face (their frames were used whole). */
  faceCropProblems: { clip: string; problem: string }[]
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null
const isId = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) > 0

/** The result of a succeeded batch.analyze job (untyped on the wire), or null when it is not one. */
export function readBatchResult(result: unknown): BatchJobResult | null {
  if (!isObject(result)) return null
  const { datasetId, modelId, clips, csv, xlsx, dataset, outDir, faceCropProblems, threshold } =
    result
  const { participantsCsv } = result
  if (!isId(datasetId) || !isId(modelId) || !Number.isSafeInteger(clips)) return null
  if (typeof csv !== 'string' || typeof xlsx !== 'string') return null
  const problems = Array.isArray(faceCropProblems) ? faceCropProblems.filter(isObject) : []
  return {
    datasetId,
    modelId,
    clips: clips as number,
    csv,
    xlsx,
    participantsCsv: typeof participantsCsv === 'string' ? participantsCsv : null,
    dataset: typeof dataset === 'string' ? dataset : null,
    outDir: typeof outDir === 'string' ? outDir : null,
    ...(typeof threshold === 'number' ? { threshold } : {}),
    faceCropProblems: problems.map((p) => ({
      clip: String(p.clip ?? ''),
      problem: String(p.problem ?? ''),
    })),
  }
}

/** A batch analysis finished earlier: its job and result. */
export interface PastBatch {
  jobId: number
  finishedAt: string | null
  result: BatchJobResult
}

/** The succeeded batch.analyze jobs among `jobs` (newest first, as jobs.list answers). */
export function pastBatches(
  jobs: readonly {
    id: number
    kind: string
    status: string
    result: unknown
    finishedAt: string | null
  }[],
): PastBatch[] {
  return jobs.flatMap((job) => {
    if (job.kind !== 'batch.analyze' || job.status !== 'succeeded') return []
    const result = readBatchResult(job.result)
    return result ? [{ jobId: job.id, finishedAt: job.finishedAt, result }] : []
  })
}

/**
 * The Batch form's threshold field: empty is the model's own thresholds (undefined), else a
 * probability from 0 to 1; anything else is null (refused, the form says why).
 */
export function thresholdField(text: string): number | undefined | null {
  const trimmed = text.trim()
  if (trimmed === '') return undefined
  const value = Number(trimmed)
  return Number.isFinite(value) && value >= 0 && value <= 1 ? value : null
}
