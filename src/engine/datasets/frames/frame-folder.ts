import fs from 'node:fs'
import path from 'node:path'
import { imageProblem } from './image-check'

/** One frame file of a clip folder. */
export interface FrameFile {
  /** Absolute frame number: the trailing integer of the file name. */
  number: number
  /** File name inside the folder. */
  file: string
}

/** What a clip folder holds. */
export interface FrameFolderScan {
  folder: string
  /** Frames sorted by number, one per number. */
  frames: FrameFile[]
  /** Entries that are not frames: other files, hidden files, sub-folders. */
  stray: string[]
  /** Files whose number another file already took (the first by name is kept). */
  duplicates: FrameFile[]
  /** Frame files that are not whole JPEG, PNG or BMP images, with what is wrong. */
  unreadable: UnreadableFrame[]
}

/** A frame file a decoder would refuse: its name in the folder and what is wrong with it. */
export interface UnreadableFrame {
  file: string
  problem: string
}

/** Any visible image named with a trailing integer: 'img46.jpg', '006_05562.jpg', '123.jpg'. */
export const FRAME_FILE_PATTERN = /^(?!\.)(?:.*?)(\d+)\.(?:jpe?g|png|bmp)$/i

/** CASME II frames: raw 'img46.jpg' or cropped 'reg_img46.jpg'. */
export const CASME2_FRAME_PATTERN = /^(?:reg_)?img(\d+)\.(?:jpe?g|png|bmp)$/i

/**
 * Lists the frames of a clip folder: files matching `pattern` (group 1 is the frame number;
 * zero padding may vary), sorted by number. With `checkImages`, reads every frame whole and
 * checks its structure (`imageProblem`), so empty, foreign, truncated or damaged files are
 * found at import, not hours later when a decoder meets them.
 */
export function scanFrameFolder(
  folder: string,
  pattern: RegExp = FRAME_FILE_PATTERN,
  checkImages = true,
): FrameFolderScan {
  const scan: FrameFolderScan = { folder, frames: [], stray: [], duplicates: [], unreadable: [] }
  const entries = fs
    .readdirSync(folder, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : 1))
  const byNumber = new Map<number, FrameFile>()
  for (const entry of entries) {
    const match = entry.isFile() ? pattern.exec(entry.name) : null
    if (!match) {
      scan.stray.push(entry.name)
      continue
    }
    const frame = { number: Number(match[1]), file: entry.name }
    if (byNumber.has(frame.number)) {
      scan.duplicates.push(frame)
      continue
    }
    byNumber.set(frame.number, frame)
    const problem = checkImages ? fileProblem(path.join(folder, entry.name)) : null
    if (problem !== null) scan.unreadable.push({ file: entry.name, problem })
  }
  scan.frames = [...byNumber.values()].sort((a, b) => a.number - b.number)
  return scan
}

function fileProblem(file: string): string | null {
  try {
    return imageProblem(fs.readFileSync(file))
  } catch (error) {
    return `it cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`
  }
}

/** Frame numbers missing between the first and the last frame: how many, and the first few. */
export function frameGaps(
  frames: readonly FrameFile[],
  sampleSize = 5,
): { count: number; sample: number[] } {
  const gaps = { count: 0, sample: [] as number[] }
  for (let i = 1; i < frames.length; i++) {
    const missing = frames[i].number - frames[i - 1].number - 1
    for (
      let n = frames[i - 1].number + 1;
      n < frames[i].number && gaps.sample.length < sampleSize;
      n++
    ) {
      gaps.sample.push(n)
    }
    gaps.count += missing
  }
  return gaps
}
