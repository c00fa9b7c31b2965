import path from 'node:path'
import type { LibraryDb } from '../db/open-library'
import type { ImportFlag } from '../datasets/flags'
import type { ImportReport, PlannedClip } from '../datasets/import/import-plan'
import { planVideoClip } from '../datasets/import/video-planner'
import { writeImport } from '../datasets/import/write-import'
import { throwIfCancelled } from '../media/work'
import type { BatchVideo } from './batch-videos'

/**
 * A dataset name not taken in the library: `wanted` itself, else `wanted (2)`, `wanted (3)`…
 * so a batch never mixes its clips into an existing dataset.
 */
export function uniqueDatasetName(db: LibraryDb, wanted: string): string {
  const taken = db.prepare('SELECT 1 FROM datasets WHERE name = ?').pluck()
  if (!taken.get(wanted)) return wanted
  for (let n = 2; ; n++) {
    const name = `${wanted} (${n})`
    if (!taken.get(name)) return name
  }
}

/** Options of a batch import. */
export interface BatchImportOptions {
  videos: readonly BatchVideo[]
  /** The folder the videos come from (the import's source). */
  folder: string
  /** The dataset name wanted; a free variant of it is used when it is taken. */
  dataset: string
  /** Frame rate overriding every video's own (for cameras whose files carry a wrong one). */
  fps?: number
  /** The batch job importing them, recorded with the import. */
  jobId?: number
  signal?: AbortSignal
  onVideo?: (done: number, total: number) => void
}

/**
 * Imports the videos of a batch folder as one new dataset with the existing video importer's
 * parts: each file is probed (a file that is not a readable video fails the whole batch with
 * an error naming it, before anything is written), then all clips land in one transaction
 * (`writeImport`) or none do. Videos directly in the folder are flagged 'subject_assumed'.
 */
export async function importBatchVideos(
  db: LibraryDb,
  options: BatchImportOptions,
): Promise<ImportReport> {
  const flags: ImportFlag[] = []
  const clips: PlannedClip[] = []
  for (const [i, v] of options.videos.entries()) {
    throwIfCancelled(options.signal, 'Importing the videos')
    const request = { source: v.file, file: v.file, subject: v.subject, clip: v.clip }
    const planned = await planVideoClip({ ...request, emotion: null, codes: [] }, flags)
    clips.push(options.fps === undefined ? planned : { ...planned, fps: options.fps })
    if (v.subjectFromFile) {
      flags.push({
        file: v.file,
        clip: `${v.subject}/${v.clip}`,
        code: 'subject_assumed',
        message: `${path.basename(v.file)} is not in a participant folder; it goes in as its own subject '${v.subject}'`,
      })
    }
    options.onVideo?.(i + 1, options.videos.length)
  }
  throwIfCancelled(options.signal, 'Importing the videos')
  // The name is picked inside the import's transaction, so no other write can take it between.
  // IMMEDIATE: the job host writes progress rows meanwhile, and a deferred transaction that
  // reads first could not upgrade to writing after such a commit (SQLITE_BUSY_SNAPSHOT).
  return db
    .transaction(() =>
      writeImport(db, {
        dataset: uniqueDatasetName(db, options.dataset),
        format: 'videos',
        source: path.resolve(options.folder),
        fps: options.fps ?? null,
        clips,
        flags,
        jobId: options.jobId,
      }),
    )
    .immediate()
}
