import fs from 'node:fs'
import path from 'node:path'
import type { ImportFlag } from '../flags'
import { frameGaps, scanFrameFolder, type FrameFolderScan } from '../frames/frame-folder'
import { readImageSize, type ImageSize } from '../frames/image-header'
import type { PlannedClip, PlannedCodes } from './import-plan'

/** One clip to build from a frame folder. */
export interface FrameClipRequest {
  /** The sheet (or folder) the request comes from, for flags. */
  source: string
  row?: number
  /** The clip's frame folder. */
  folder: string
  subject: string
  clip: string
  /** Keep only frames in [from, to] (clips cut from a long recording). */
  range?: { from: number; to: number }
  fps: number
  emotion: string | null
  codes: PlannedCodes[]
}

/**
 * Turns frame folders into planned clips, flagging what it finds on the way: missing
 * folders, stray files, duplicate or missing frame numbers, unreadable images (a clip with
 * any frame that is not a whole image is skipped, naming the files), markers on frames the
 * folder lacks. Each folder is scanned (and its stray files flagged) once, however
 * many clips it serves.
 */
export class FramePlanner {
  private readonly scans = new Map<string, FrameFolderScan>()

  constructor(
    private readonly flags: ImportFlag[],
    private readonly pattern: RegExp,
  ) {}

  /** The folders scanned so far (absolute paths). */
  get scannedFolders(): string[] {
    return [...this.scans.keys()]
  }

  /** The planned clip, or null (flagged) when the folder has no usable frames. */
  plan(request: FrameClipRequest): PlannedClip | null {
    const where = {
      file: request.source,
      ...(request.row !== undefined ? { row: request.row } : {}),
      clip: `${request.subject}/${request.clip}`,
    }
    if (!isDirectory(request.folder)) {
      this.flags.push({
        ...where,
        code: 'missing_clip_folder',
        message: `No frame folder ${request.folder}; the clip is skipped`,
      })
      return null
    }
    const scan = this.scan(request.folder)
    const frames = request.range
      ? scan.frames.filter((f) => f.number >= request.range!.from && f.number <= request.range!.to)
      : scan.frames
    if (frames.length === 0) {
      const span = request.range ? ` between ${request.range.from} and ${request.range.to}` : ''
      this.flags.push({
        ...where,
        code: 'missing_frames',
        message: `${request.folder} has no frame files${span}; the clip is skipped`,
      })
      return null
    }
    const gaps = frameGaps(frames)
    if (gaps.count > 0) {
      this.flags.push({
        ...where,
        code: 'missing_frames',
        message: `${request.folder} lacks ${gaps.count} frame(s) between ${frames[0].number} and ${
          frames[frames.length - 1].number
        } (first: ${gaps.sample.join(', ')})`,
      })
    }
    const unreadable = new Set(scan.unreadable.map((u) => u.file))
    const broken = frames.filter((f) => unreadable.has(f.file))
    if (broken.length > 0) {
      this.flags.push({
        ...where,
        code: 'unreadable_image',
        message: `${broken.length} frame(s) of ${request.folder} cannot be decoded (${broken
          .slice(0, 5)
          .map((f) => f.file)
          .join(', ')}${broken.length > 5 ? ', …' : ''}); the clip is skipped`,
      })
      return null
    }
    const size = imageSizeOrNull(path.join(request.folder, frames[0].file))
    if (!size) {
      this.flags.push({
        ...where,
        code: 'unreadable_image',
        message: `Cannot read the size of any frame in ${request.folder}; the clip is skipped`,
      })
      return null
    }
    const numbers = new Set(frames.map((f) => f.number))
    for (const codes of request.codes) {
      const outside = (['onset', 'apex', 'offset'] as const).filter((k) => {
        const n = codes[k]
        return n !== null && !numbers.has(n)
      })
      if (outside.length > 0) {
        this.flags.push({
          ...where,
          code: 'marker_outside_frames',
          message: `${outside.map((k) => `${k} ${codes[k]}`).join(', ')} not among the frames ${frames[0].number}–${
            frames[frames.length - 1].number
          } of ${request.folder}`,
        })
      }
    }
    return {
      subject: request.subject,
      name: request.clip,
      sourceKind: 'frames',
      sourcePath: request.folder,
      fps: request.fps,
      width: size.width,
      height: size.height,
      frames: frames.map((f) => ({ number: f.number, file: f.file })),
      emotion: request.emotion,
      codes: request.codes,
    }
  }

  private scan(folder: string): FrameFolderScan {
    const cached = this.scans.get(folder)
    if (cached) return cached
    const scan = scanFrameFolder(folder, this.pattern)
    for (const name of scan.stray) {
      this.flags.push({
        file: path.join(folder, name),
        code: 'stray_file',
        message: `${name} in ${folder} is not a frame; ignored`,
      })
    }
    for (const dup of scan.duplicates) {
      this.flags.push({
        file: path.join(folder, dup.file),
        code: 'duplicate_frame',
        message: `${dup.file} repeats frame number ${dup.number}; ignored`,
      })
    }
    for (const { file, problem } of scan.unreadable) {
      this.flags.push({
        file: path.join(folder, file),
        code: 'unreadable_image',
        message: `${file} cannot be decoded: ${problem}`,
      })
    }
    this.scans.set(folder, scan)
    return scan
  }
}

function imageSizeOrNull(file: string): ImageSize | null {
  try {
    return readImageSize(file)
  } catch {
    // broken header or a file the OS will not let us read: both are flagged as unreadable
    return null
  }
}

/** Whether a path exists and is a directory. */
export function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory()
  } catch {
    return false
  }
}
