import path from 'node:path'
import type { LibraryDb } from '../../db/open-library'
import { FRAME_FILE_PATTERN } from '../frames/frame-folder'
import { parseMmewSheet } from '../sheets/mmew-sheet'
import type { ImportReport } from './import-plan'
import {
  importCodedSheet,
  requireFolder,
  sortedEntries,
  type SheetImportOptions,
} from './sheet-import'

/** MMEW records at 90 fps. */
export const MMEW_FPS = 90

/**
 * Imports MMEW: the sheet (`MMEW_Micro_Exp.xlsx`: CASME II columns plus remarks) and the
 * frames under `framesRoot` (`MMEW_Final`), whose clip folders sit by emotion:
 * `Micro_Expression/happiness/S01-01-001/1.jpg`. A row's clip is the one folder named after
 * its Filename; none or several is flagged. Codes go in as coder 'MMEW sheet'.
 */
export async function importMmew(
  db: LibraryDb,
  options: SheetImportOptions,
): Promise<ImportReport> {
  const root = requireFolder(options.framesRoot, 'MMEW frames folder')
  const index = frameFoldersByName(root, 4)
  return importCodedSheet(db, options, {
    format: 'mmew',
    parse: parseMmewSheet,
    defaultCoder: 'MMEW sheet',
    defaultFps: MMEW_FPS,
    framePattern: FRAME_FILE_PATTERN,
    folderOf: (row) => {
      const found = index.get(row.filename) ?? []
      if (found.length === 1) return { folder: found[0] }
      return found.length === 0
        ? { code: 'missing_clip_folder', missing: `No folder named ${row.filename} under ${root}` }
        : {
            code: 'ambiguous_clip_folder',
            missing: `${found.length} folders are named ${row.filename}: ${found.join(', ')}`,
          }
    },
    clipFolders: () => [...index.values()].flat(),
  })
}

/** Folders up to `maxDepth` below `root` that hold frame files, by folder name. */
function frameFoldersByName(root: string, maxDepth: number): Map<string, string[]> {
  const index = new Map<string, string[]>()
  const walk = (dir: string, depth: number) => {
    const entries = sortedEntries(dir)
    if (entries.some((e) => e.isFile() && FRAME_FILE_PATTERN.test(e.name))) {
      const name = path.basename(dir)
      index.set(name, [...(index.get(name) ?? []), dir])
    }
    if (depth === maxDepth) return
    for (const e of entries) if (e.isDirectory()) walk(path.join(dir, e.name), depth + 1)
  }
  walk(root, 0)
  return index
}
