/** Domain records as the contract carries them (camelCase, ISO timestamps). */

/** A named collection of subjects and clips (e.g. one database release or one study). */
export interface Dataset {
  id: number
  name: string
  createdAt: string
  subjectCount: number
  clipCount: number
}

/** One clip as listed in the library. */
export interface ClipSummary {
  id: number
  datasetId: number
  subjectId: number
  subject: string
  name: string
  sourceKind: 'frames' | 'video'
  fps: number
  frameCount: number
  firstFrame: number
  width: number
  height: number
  emotion: string | null
}

/** What the app knows about itself and its library. */
export interface AppInfo {
  version: string
  libraryPath: string
  schemaVersion: number
  /** When this engine started (ISO 8601): jobs it found orphaned finished at this time or later. */
  startedAt: string
}

/** Where a durable job is in its life. */
export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'interrupted'

/** How far a long piece of work has come: `done` of `total` units, and what it is doing. */
export interface Progress {
  done: number
  total: number
  /** Shown under the progress bar, e.g. "epoch 3/20 · fold 2". */
  message?: string
}

/** A job's progress as stored in jobs.progress and pushed with job.changed. */
export interface JobProgress extends Progress {
  /** Kind-specific numbers (losses, F1, …) for charts. */
  metrics?: Record<string, number>
}

/** A durable job (extraction, magnification, training, …) as the UI sees it. */
export interface Job {
  id: number
  kind: string
  status: JobStatus
  input: unknown
  progress: JobProgress | null
  result: unknown
  error: { code: string; message: string; details?: unknown } | null
  cancelRequested: boolean
  createdAt: string
  startedAt: string | null
  finishedAt: string | null
}

/** A row an import had to flag instead of guessing: where, and what is wrong. */
export interface ImportFlagInfo {
  code: string
  message: string
  file?: string
  row?: number
  column?: string
  clip?: string
}

/** One stored import report. */
export interface ImportSummary {
  id: number
  datasetId: number
  format: string
  source: string
  createdAt: string
  clips: number
  subjects: number
  labels: number
  flags: ImportFlagInfo[]
}
