import path from 'node:path'
import type { LibraryDb } from '../../db/open-library'
import { AppError } from '../../../shared/errors'
import type { ImportFlag } from '../flags'
import type { ImportReport, PlannedClip } from './import-plan'
import { planVideoClip } from './video-planner'
import { writeImport } from './write-import'

/** Options of a video-list import. */
export interface VideoImportOptions {
  /** The video files; each becomes one clip named after the file (without extension). */
  files: readonly string[]
  dataset: string
  /** Subject of every clip; when absent each clip is its own subject (flagged). */
  subject?: string
}

/**
 * Imports video files as clips without codes: each is probed (frame rate, frame count,
 * size); frames are numbered from 1. A file that is missing or not a video fails the whole
 * import, naming it; two files with the same name for one subject are an error too.
 */
export async function importVideos(
  db: LibraryDb,
  options: VideoImportOptions,
): Promise<ImportReport> {
  if (options.files.length === 0) {
    throw new AppError('invalid_input', 'No video files to import', { files: [] })
  }
  const flags: ImportFlag[] = []
  const clips: PlannedClip[] = []
  const seen = new Map<string, string>()
  for (const given of options.files) {
    const file = path.resolve(given)
    const clip = path.basename(file, path.extname(file))
    const subject = options.subject ?? clip
    const key = `${subject}/${clip}`
    const other = seen.get(key)
    if (other) {
      throw new AppError('invalid_input', `${file} and ${other} would both be clip ${key}`, {
        file,
        other,
      })
    }
    seen.set(key, file)
    if (options.subject === undefined) {
      flags.push({
        file,
        clip: key,
        code: 'subject_assumed',
        message: `No subject given; the clip goes in as its own subject '${subject}'`,
      })
    }
    clips.push(
      await planVideoClip({ source: file, file, subject, clip, emotion: null, codes: [] }, flags),
    )
  }
  const source =
    clips.length === 1 ? clips[0].sourcePath : commonFolder(clips.map((c) => c.sourcePath))
  return writeImport(db, {
    dataset: options.dataset,
    format: 'videos',
    source,
    fps: null,
    clips,
    flags,
  })
}

/** The deepest folder holding all the files. */
function commonFolder(files: string[]): string {
  let folder = path.dirname(files[0])
  while (!files.every((f) => f.startsWith(folder + path.sep)) && path.dirname(folder) !== folder) {
    folder = path.dirname(folder)
  }
  return folder
}
