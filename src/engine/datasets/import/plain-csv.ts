import fs from 'node:fs'
import path from 'node:path'
import type { LibraryDb } from '../../db/open-library'
import { FRAME_FILE_PATTERN } from '../frames/frame-folder'
import { numberedSubject } from '../sheets/coded-sheet'
import { parsePlainSheet } from '../sheets/plain-sheet'
import { isDirectory } from './frame-planner'
import type { ImportFlag } from '../flags'
import type { ImportReport } from './import-plan'
import {
  importCodedSheet,
  requireFolder,
  subjectClipFolders,
  type SheetImportOptions,
} from './sheet-import'

/** Video files a plain sheet's clip may be instead of a frame folder. */
export const VIDEO_EXTENSIONS = ['.mkv', '.mp4', '.avi', '.mov']

/** Frame rate assumed for a plain sheet when none is given (CASME II's). */
export const PLAIN_SHEET_FPS = 200

/**
 * Imports a plain sheet (.csv or .xlsx with the CASME II columns, optionally Coder, Coder
 * Kind and Apex Estimated, as our exports write them) with a frames folder laid out
 * `<subject>/<Filename>/<frames>`, or with videos `<subject>/<Filename>.mkv|.mp4|.avi|.mov`
 * (frames numbered from 1, rate from the video). A Subject cell names its folder; a bare
 * number n also finds folder 'subNN'. Rows without a Coder go in as the import coder named
 * after the sheet file (or `coder`).
 */
export async function importPlainCsv(
  db: LibraryDb,
  options: SheetImportOptions,
): Promise<ImportReport> {
  const root = requireFolder(options.framesRoot, 'frames folder')
  return importCodedSheet(db, options, {
    format: 'csv',
    parse: parsePlainSheet,
    defaultCoder: path.basename(options.sheet),
    defaultFps: PLAIN_SHEET_FPS,
    framePattern: FRAME_FILE_PATTERN,
    folderOf: (row) => {
      for (const subject of new Set([row.subject, numberedSubject(row.subject, 'sub', 2)])) {
        const folder = path.join(root, subject, row.filename)
        if (isDirectory(folder)) return { folder, subject }
        const videos = VIDEO_EXTENSIONS.map((ext) => folder + ext).filter((f) => fs.existsSync(f))
        if (videos.length === 1) return { video: videos[0], subject }
        if (videos.length > 1) {
          return {
            code: 'ambiguous_clip_folder',
            missing: `Several videos for one clip: ${videos.join(', ')}`,
          }
        }
      }
      return {
        code: 'missing_clip_folder',
        missing: `No folder or video ${path.join(root, row.subject, row.filename)}`,
      }
    },
    clipFolders: (flags) => clipSources(root, flags),
  })
}

/** Clip folders and videos two levels down (videos are not flagged as stray). */
function clipSources(root: string, flags: ImportFlag[]): string[] {
  const found: ImportFlag[] = []
  const folders = subjectClipFolders(root, found)
  const videos: string[] = []
  for (const flag of found) {
    if (VIDEO_EXTENSIONS.includes(path.extname(flag.file).toLowerCase())) videos.push(flag.file)
    else flags.push(flag)
  }
  return [...folders, ...videos]
}
