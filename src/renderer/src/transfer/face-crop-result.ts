import type { Job } from '../../../shared/domain'

/** What a finished `clips.faceCrop` job reports, as the import dialog shows it. */
export interface FaceCropOutcome {
  /** Clips that got an eye-aligned crop. */
  cropped: number
  /** Clips without one, each with the reason ("no face found", …). */
  problems: { clip: string; problem: string }[]
}

/** The outcome of a succeeded face-crop job, or null when the job carries none. */
export function faceCropOutcome(job: Job | null): FaceCropOutcome | null {
  const r = job?.status === 'succeeded' ? job.result : null
  if (typeof r !== 'object' || r === null) return null
  const { cropped, results } = r as { cropped?: unknown; results?: unknown }
  if (typeof cropped !== 'number' || !Array.isArray(results)) return null
  const problems = (results as { clip?: unknown; crop?: unknown; problem?: unknown }[])
    .filter((x) => x.crop === null || x.crop === undefined)
    .map((x) => ({ clip: String(x.clip ?? '?'), problem: String(x.problem ?? 'no crop stored') }))
  return { cropped, problems }
}
