import path from 'node:path'
import type { LibraryDb } from '../../db/open-library'
import { AppError } from '../../../shared/errors'
import type { ImportFlag } from '../flags'
import { CASME2_FRAME_PATTERN } from '../frames/frame-folder'
import { parseCasme2Sheet } from '../sheets/casme2-sheet'
import { isDirectory } from './frame-planner'
import type { ImportReport } from './import-plan'
import {
  importCodedSheet,
  requireFolder,
  subjectClipFolders,
  type SheetImportOptions,
} from './sheet-import'

/** CASME II import options. */
export interface Casme2ImportOptions extends SheetImportOptions {
  /** Which frames to use when the release has both; default 'raw' (flagged when both exist). */
  variant?: 'raw' | 'cropped'
}

/** CASME II records at 200 fps. */
export const CASME2_FPS = 200

const RAW_DIRS = ['CASME2_RAW_selected', 'CASME2-RAW', 'CASME2_RAW']
const CROPPED_DIRS = ['Cropped']

/**
 * Imports a CASME II release: the coding sheet (`CASME2-coding-*.xlsx`) and the frames under
 * `framesRoot`, which is the release folder (holding `CASME2_RAW_selected/` or `Cropped/`) or
 * the folder of subject folders itself: `sub01/EP02_01f/img46.jpg` or `reg_img46.jpg`.
 * Subject 1 is folder 'sub01'. Codes go in as coder 'CASME II sheet' (kind 'import').
 */
export async function importCasme2(
  db: LibraryDb,
  options: Casme2ImportOptions,
): Promise<ImportReport> {
  const root = requireFolder(options.framesRoot, 'CASME II frames folder')
  const flags: ImportFlag[] = []
  const dir = casme2FramesDir(root, options.variant, flags)
  return importCodedSheet(db, options, {
    format: 'casme2',
    parse: parseCasme2Sheet,
    defaultCoder: 'CASME II sheet',
    defaultFps: CASME2_FPS,
    framePattern: CASME2_FRAME_PATTERN,
    folderOf: (row) => ({ folder: path.join(dir, row.subject, row.filename) }),
    clipFolders: (found) => subjectClipFolders(dir, found),
    flags,
  })
}

function casme2FramesDir(
  root: string,
  variant: 'raw' | 'cropped' | undefined,
  flags: ImportFlag[],
): string {
  const find = (names: string[]) => names.map((n) => path.join(root, n)).find(isDirectory)
  const raw = find(RAW_DIRS)
  const cropped = find(CROPPED_DIRS)
  if (variant === 'raw' || variant === 'cropped') {
    const dir = variant === 'raw' ? raw : cropped
    if (!dir) {
      const names = variant === 'raw' ? RAW_DIRS : CROPPED_DIRS
      throw new AppError('not_found', `${root} has no ${names.join(' or ')} folder`, { file: root })
    }
    return dir
  }
  if (raw && cropped) {
    flags.push({
      file: root,
      code: 'frames_variant',
      message: `${root} has raw and cropped frames; the raw frames of ${raw} were used`,
    })
  }
  return raw ?? cropped ?? root
}
