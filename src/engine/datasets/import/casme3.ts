import path from 'node:path'
import type { LibraryDb } from '../../db/open-library'
import { FRAME_FILE_PATTERN } from '../frames/frame-folder'
import { parseCasme3Sheet } from '../sheets/casme3-sheet'
import type { ImportReport } from './import-plan'
import {
  importCodedSheet,
  requireFolder,
  subjectClipFolders,
  type SheetImportOptions,
} from './sheet-import'

/** CAS(ME)³ was filmed at 30 fps. */
export const CASME3_FPS = 30

/**
 * Imports CAS(ME)³ part A: the sheet and the colour frames under `framesRoot`:
 * `spNO.1/a/color/123.jpg`. Each sheet row is one clip cut from the long recording: named
 * 'a_<onset>', holding the frames from onset to offset. Codes go in as 'CAS(ME)³ sheet'.
 */
export async function importCasme3(
  db: LibraryDb,
  options: SheetImportOptions,
): Promise<ImportReport> {
  const root = requireFolder(options.framesRoot, 'CAS(ME)³ frames folder')
  return importCodedSheet(db, options, {
    format: 'casme3',
    parse: parseCasme3Sheet,
    defaultCoder: 'CAS(ME)³ sheet',
    defaultFps: CASME3_FPS,
    framePattern: FRAME_FILE_PATTERN,
    folderOf: (row) => ({ folder: path.join(root, row.subject, row.filename, 'color') }),
    rangeOf: (row) => ({ from: row.onset, to: row.offset }),
    clipFolders: (flags) =>
      subjectClipFolders(root, flags).map((video) => path.join(video, 'color')),
  })
}
