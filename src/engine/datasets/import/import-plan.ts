import type { AuIntensity, AuSide } from '../../../shared/facs'
import type { ImportFlag } from '../flags'
import type { CoderKind } from '../sheets/coded-sheet'

/** The import formats the engine reads. */
export type ImportFormat =
  'casme2' | 'samm' | 'casme3' | 'mmew' | 'csv' | 'folder' | 'videos' | 'eaf'

/** One coder's codes for one clip, ready to write. */
export interface PlannedCodes {
  coder: string
  /** Null: join the existing coder of that name whatever its kind, or create a 'human' one. */
  coderKind: CoderKind | null
  onset: number | null
  apex: number | null
  offset: number | null
  apexEstimated: boolean
  labels: { au: number; side: AuSide | null; intensity: AuIntensity | null }[]
  /** Where the codes came from, for conflict messages. */
  file: string
  row?: number
}

/** One clip, ready to write. */
export interface PlannedClip {
  subject: string
  name: string
  sourceKind: 'frames' | 'video'
  /** The clip's frame folder or video file (absolute). */
  sourcePath: string
  fps: number
  width: number
  height: number
  /** Frames by absolute number; `file` is relative to `sourcePath` (null for videos). */
  frames: { number: number; file: string | null }[]
  emotion: string | null
  codes: PlannedCodes[]
}

/** Everything one import will write, computed before the transaction opens. */
export interface ImportPlan {
  dataset: string
  format: ImportFormat
  /** The sheet, folder or files imported (absolute). */
  source: string
  /** The frame rate used (null when each video brings its own). */
  fps: number | null
  clips: PlannedClip[]
  flags: ImportFlag[]
  /** The job that imports it, recorded with the import (see migration 1050). */
  jobId?: number
}

/** What an import did; also stored, without `importId`, in the `imports` table. */
export interface ImportReport {
  importId: number
  datasetId: number
  dataset: string
  format: ImportFormat
  source: string
  fps: number | null
  /** Clips the import coded (new or already in the dataset). */
  clips: number
  /** Distinct subjects of those clips. */
  subjects: number
  /** Frame rows written. */
  frames: number
  markers: number
  labels: number
  coders: string[]
  flags: ImportFlag[]
}
