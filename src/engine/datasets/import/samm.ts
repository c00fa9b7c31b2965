import path from 'node:path'
import type { LibraryDb } from '../../db/open-library'
import { FRAME_FILE_PATTERN } from '../frames/frame-folder'
import { parseSammSheet } from '../sheets/samm-sheet'
import { isDirectory } from './frame-planner'
import type { ImportReport } from './import-plan'
import {
  importCodedSheet,
  requireFolder,
  subjectClipFolders,
  type SheetImportOptions,
} from './sheet-import'

/** SAMM records at 200 fps. */
export const SAMM_FPS = 200

/**
 * Imports SAMM: the sheet (`SAMM_Micro_FACS_Codes_v2.xlsx`, header on row 14) and the frames
 * under `framesRoot` (the folder holding `SAMM/`, or `SAMM/` itself):
 * `006/006_1_2/006_05562.jpg`. Subject 6 is folder '006'. Codes go in as coder 'SAMM sheet'.
 */
export async function importSamm(
  db: LibraryDb,
  options: SheetImportOptions,
): Promise<ImportReport> {
  const root = requireFolder(options.framesRoot, 'SAMM frames folder')
  const dir = isDirectory(path.join(root, 'SAMM')) ? path.join(root, 'SAMM') : root
  return importCodedSheet(db, options, {
    format: 'samm',
    parse: parseSammSheet,
    defaultCoder: 'SAMM sheet',
    defaultFps: SAMM_FPS,
    framePattern: FRAME_FILE_PATTERN,
    folderOf: (row) => ({ folder: path.join(dir, row.subject, row.filename) }),
    clipFolders: (flags) => subjectClipFolders(dir, flags),
  })
}
