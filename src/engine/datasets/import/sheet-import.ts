import fs from 'node:fs'
import path from 'node:path'
import type { LibraryDb } from '../../db/open-library'
import { AppError } from '../../../shared/errors'
import type { ImportFlag } from '../flags'
import type { CodedRow, ParsedSheet } from '../sheets/coded-sheet'
import { readSheetFile } from '../sheets/read-sheet'
import type { SheetData } from '../sheets/sheet'
import { FramePlanner, isDirectory } from './frame-planner'
import type { ImportFormat, ImportReport, PlannedClip, PlannedCodes } from './import-plan'
import { planVideoClip } from './video-planner'
import { writeImport } from './write-import'

/** What every sheet-plus-frames importer takes. */
export interface SheetImportOptions {
  /** The coding sheet (.xlsx, or .csv where the format allows). */
  sheet: string
  /** The folder holding the dataset's frames (see each importer for the layout). */
  framesRoot: string
  /** Dataset name in the library; created when new. */
  dataset: string
  /** Frame rate; each format has its default. */
  fps?: number
  /** Name of the import coder the sheet's codes go in as; each format has its default. */
  coder?: string
}

/** Where a coded row's frames (or video) are, or why there are none. */
export type FolderLookup =
  | { folder: string; subject?: string }
  | { video: string; subject?: string }
  | { missing: string; code: 'missing_clip_folder' | 'ambiguous_clip_folder' }

/** How one dataset format reads its sheet and finds its frames. */
export interface SheetImportFormat {
  format: ImportFormat
  parse(sheet: SheetData): ParsedSheet
  defaultCoder: string
  defaultFps: number
  /** Frame file names (group 1: the frame number). */
  framePattern: RegExp
  folderOf(row: CodedRow): FolderLookup
  /** Frames of the clip within its folder (default: all of them). */
  rangeOf?(row: CodedRow): { from: number; to: number }
  /** Every clip folder on disk, to flag those no row codes (stray files go in `flags`). */
  clipFolders(flags: ImportFlag[]): string[]
  /** Flags raised while locating the frames. */
  flags?: ImportFlag[]
}

/**
 * The shared body of the sheet importers: read and parse the sheet (malformed sheets fail
 * here, before the library is touched), plan one clip per subject/clip with the codes of
 * every row (and coder) for it, flag what does not fit, then write it all in one transaction.
 */
export async function importCodedSheet(
  db: LibraryDb,
  options: SheetImportOptions,
  format: SheetImportFormat,
): Promise<ImportReport> {
  const sheetFile = path.resolve(options.sheet)
  const fps = checkFps(options.fps ?? format.defaultFps)
  const sheet = await readSheetFile(sheetFile)
  const parsed = format.parse(sheet)
  const flags: ImportFlag[] = [...(format.flags ?? []), ...parsed.flags]
  const planner = new FramePlanner(flags, format.framePattern)
  const groups = new Map<string, CodedRow[]>()
  for (const row of parsed.rows) {
    const key = `${row.subject}\u0000${row.clip}`
    groups.set(key, [...(groups.get(key) ?? []), row])
  }
  const clips: PlannedClip[] = []
  for (const rows of groups.values()) {
    const first = rows[0]
    const lookup = format.folderOf(first)
    if ('missing' in lookup) {
      flags.push({
        file: sheetFile,
        row: first.row,
        clip: `${first.subject}/${first.clip}`,
        code: lookup.code,
        message: `${lookup.missing}; row ${first.row} is skipped`,
      })
      continue
    }
    const subject = lookup.subject ?? first.subject
    if (subject !== first.subject) {
      renameFlaggedClip(flags, `${first.subject}/${first.clip}`, `${subject}/${first.clip}`)
    }
    const emotion = rows.find((r) => r.emotion !== null)?.emotion ?? null
    const codes = rows.map((r): PlannedCodes => ({
      coder: r.coder ?? options.coder ?? format.defaultCoder,
      coderKind: r.coder ? r.coderKind : 'import',
      onset: r.onset,
      apex: r.apex,
      offset: r.offset,
      apexEstimated: r.apexEstimated,
      labels: r.labels.map(({ au, side, intensity }) => ({ au, side, intensity })),
      file: sheetFile,
      row: r.row,
    }))
    const where = { source: sheetFile, row: first.row, subject, clip: first.clip, emotion, codes }
    const clip =
      'video' in lookup
        ? await planVideoClip({ ...where, file: lookup.video }, flags)
        : planner.plan({ ...where, folder: lookup.folder, range: format.rangeOf?.(first), fps })
    if (clip) clips.push(clip)
  }
  const used = new Set([...planner.scannedFolders, ...clips.map((c) => c.sourcePath)])
  for (const folder of format.clipFolders(flags)) {
    if (!used.has(folder)) {
      flags.push({
        file: folder,
        code: 'clip_not_in_sheet',
        message: `No sheet row codes ${folder}; not imported`,
      })
    }
  }
  return writeImport(db, {
    dataset: options.dataset,
    format: format.format,
    source: sheetFile,
    fps,
    clips,
    flags,
  })
}

/** Points the sheet's flags about a clip at the clip's name in the library. */
function renameFlaggedClip(flags: ImportFlag[], from: string, to: string): void {
  for (const flag of flags) if (flag.clip === from) flag.clip = to
}

/** A frame rate must be a finite positive number. */
export function checkFps(fps: number): number {
  if (!Number.isFinite(fps) || fps <= 0) {
    throw new AppError('invalid_input', `The frame rate must be a positive number, not ${fps}`, {
      fps,
    })
  }
  return fps
}

/** The frames root, which must be an existing folder. */
export function requireFolder(folder: string, what: string): string {
  const resolved = path.resolve(folder)
  if (!fs.existsSync(resolved)) {
    throw new AppError('not_found', `The ${what} ${resolved} does not exist`, { file: resolved })
  }
  if (!isDirectory(resolved)) {
    throw new AppError('invalid_input', `The ${what} ${resolved} is not a folder`, {
      file: resolved,
    })
  }
  return resolved
}

/**
 * The clip folders two levels below `root` (subject/clip), sorted; files found at the
 * subject level are flagged as stray.
 */
export function subjectClipFolders(root: string, flags: ImportFlag[]): string[] {
  const folders: string[] = []
  for (const subject of sortedEntries(root)) {
    if (!subject.isDirectory()) continue
    const subjectDir = path.join(root, subject.name)
    for (const clip of sortedEntries(subjectDir)) {
      if (clip.isDirectory()) folders.push(path.join(subjectDir, clip.name))
      else {
        flags.push({
          file: path.join(subjectDir, clip.name),
          code: 'stray_file',
          message: `${clip.name} in ${subjectDir} is not a clip folder; ignored`,
        })
      }
    }
  }
  return folders
}

/** Folder entries sorted by name, so imports and their reports are reproducible. */
export function sortedEntries(dir: string): fs.Dirent[] {
  return fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))
}
