import path from 'node:path'
import type { LibraryDb } from '../../db/open-library'
import { AppError } from '../../../shared/errors'
import type { ImportFlag } from '../flags'
import { FRAME_FILE_PATTERN } from '../frames/frame-folder'
import { FramePlanner } from './frame-planner'
import type { ImportReport } from './import-plan'
import { checkFps, requireFolder } from './sheet-import'
import { writeImport } from './write-import'

/** Options of a one-clip import from a folder of frames. */
export interface FolderClipImportOptions {
  /** The folder of frame images ('img46.jpg', '0001.png', ...). */
  folder: string
  dataset: string
  /** Subject code; when absent the clip name is used (flagged). */
  subject?: string
  /** Clip name; default: the folder name. */
  clip?: string
  /** Frame rate; when absent 200 fps is used (flagged). */
  fps?: number
}

/** Frame rate assumed for a bare folder of frames. */
export const FOLDER_CLIP_FPS = 200

/**
 * Imports one folder of frames as one clip, without codes. Stray files and gaps are
 * flagged; a folder without frames is an error.
 */
export async function importFolderClip(
  db: LibraryDb,
  options: FolderClipImportOptions,
): Promise<ImportReport> {
  const folder = requireFolder(options.folder, 'frames folder')
  const flags: ImportFlag[] = []
  const clip = options.clip ?? path.basename(folder)
  const subject = options.subject ?? clip
  if (options.subject === undefined) {
    flags.push({
      file: folder,
      code: 'subject_assumed',
      message: `No subject given; the clip goes in as its own subject '${subject}'`,
    })
  }
  const fps = checkFps(options.fps ?? FOLDER_CLIP_FPS)
  if (options.fps === undefined) {
    flags.push({
      file: folder,
      code: 'fps_assumed',
      message: `No frame rate given; ${fps} fps assumed`,
    })
  }
  const planned = new FramePlanner(flags, FRAME_FILE_PATTERN).plan({
    source: folder,
    folder,
    subject,
    clip,
    fps,
    emotion: null,
    codes: [],
  })
  if (!planned) {
    throw new AppError('invalid_file', `${folder} cannot be imported: ${flags.at(-1)?.message}`, {
      file: folder,
    })
  }
  return writeImport(db, {
    dataset: options.dataset,
    format: 'folder',
    source: folder,
    fps,
    clips: [planned],
    flags,
  })
}
