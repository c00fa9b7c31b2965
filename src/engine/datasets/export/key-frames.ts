import fs from 'node:fs'
import path from 'node:path'
import type { LibraryDb } from '../../db/open-library'
import { AppError } from '../../../shared/errors'
import { loadDatasetClips, type ExportClip } from './coded-rows'

/** The bytes of one frame of a clip, and the file extension they go under ('.jpg'). */
export interface FrameBytes {
  bytes: Uint8Array
  ext: string
}

/**
 * Where key frames come from. The default copies the raw frame files; a later stage passes
 * a source that returns magnified frames instead. `file` is the frame's stored file (absolute),
 * or null for video clips.
 */
export type KeyFrameSource = (
  clip: ExportClip,
  frame: number,
  file: string | null,
) => Promise<FrameBytes>

/** What to export. */
export interface KeyFrameExportOptions {
  dataset: string
  outDir: string
  /** Whose markers pick the frames; may be left out when only one coder marked the dataset. */
  coder?: string
  /** Close-to-apex frames: apex ± 1..radius, kept within [onset, offset]; default 3. */
  closeRadius?: number
  frameSource?: KeyFrameSource
}

/** What a key-frame export wrote. */
export interface KeyFrameExportResult {
  outDir: string
  coder: string
  clips: number
  files: number
  skipped: { clip: string; reason: string }[]
}

/** The raw frame file; video clips need a source that can decode them. */
export const rawFrameSource: KeyFrameSource = async (clip, frame, file) => {
  if (file === null) {
    throw new AppError(
      'unsupported',
      `${clip.subject}/${clip.name} is a video: its frames must be extracted first`,
      {
        clip: `${clip.subject}/${clip.name}`,
      },
    )
  }
  return { bytes: await fs.promises.readFile(file), ext: path.extname(file).toLowerCase() }
}

/**
 * Writes the frames IICL trains on, per clip: `<outDir>/<subject>/<clip>/onset_<n>`,
 * `apex_<n>` and `close_<n>` for each close-to-apex frame. Clips without that coder's onset
 * and apex, or whose frames cannot be read, are listed in `skipped`.
 */
export async function exportKeyFrames(
  db: LibraryDb,
  options: KeyFrameExportOptions,
): Promise<KeyFrameExportResult> {
  const radius = options.closeRadius ?? 3
  if (!Number.isInteger(radius) || radius < 0 || radius > 30) {
    throw new AppError(
      'invalid_input',
      `The close-to-apex radius must be 0 to 30 frames, not ${radius}`,
      { radius },
    )
  }
  const coder = options.coder ?? onlyCoder(db, options.dataset)
  const source = options.frameSource ?? rawFrameSource
  const outDir = path.resolve(options.outDir)
  const result: KeyFrameExportResult = { outDir, coder, clips: 0, files: 0, skipped: [] }
  const frameFile = db.prepare('SELECT file FROM frames WHERE clip_id = ? AND number = ?')
  for (const clip of loadDatasetClips(db, options.dataset, coder)) {
    const key = `${clip.subject}/${clip.name}`
    const codes = clip.codes[0]
    if (!codes || codes.onset === null || codes.apex === null) {
      result.skipped.push({ clip: key, reason: `no onset and apex from ${coder}` })
      continue
    }
    const lo = codes.onset
    const hi = codes.offset ?? clip.firstFrame + clip.frameCount - 1
    const wanted: [string, number][] = [
      ['onset', codes.onset],
      ['apex', codes.apex],
    ]
    for (let k = 1; k <= radius; k++) {
      for (const n of [codes.apex - k, codes.apex + k])
        if (n >= lo && n <= hi) wanted.push(['close', n])
    }
    wanted.sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]))
    try {
      const written: [string, FrameBytes][] = []
      for (const [role, n] of wanted) {
        const row = frameFile.get(clip.clipId, n) as { file: string | null } | undefined
        if (!row)
          throw new AppError('not_found', `frame ${n} is not in the clip`, { clip: key, frame: n })
        const file = row.file === null ? null : path.join(clip.sourcePath, row.file)
        written.push([`${role}_${n}`, await source(clip, n, file)])
      }
      const dir = path.join(outDir, clip.subject, clip.name)
      fs.mkdirSync(dir, { recursive: true })
      for (const [name, frame] of written)
        fs.writeFileSync(path.join(dir, name + frame.ext), frame.bytes)
      result.clips++
      result.files += written.length
    } catch (error) {
      if (!(error instanceof AppError) && !isFileError(error)) throw error
      result.skipped.push({ clip: key, reason: (error as Error).message })
    }
  }
  return result
}

function isFileError(error: unknown): boolean {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string'
}

function onlyCoder(db: LibraryDb, dataset: string): string {
  const coders = db
    .prepare(
      `SELECT DISTINCT k.name FROM markers m
         JOIN coders k ON k.id = m.coder_id
         JOIN clips c ON c.id = m.clip_id
         JOIN datasets d ON d.id = c.dataset_id
        WHERE d.name = ? ORDER BY k.name`,
    )
    .all(dataset) as { name: string }[]
  if (coders.length === 1) return coders[0].name
  throw new AppError(
    'invalid_input',
    coders.length === 0
      ? `Nobody has marked dataset '${dataset}'`
      : `Dataset '${dataset}' has markers from ${coders.map((c) => `'${c.name}'`).join(', ')}: choose a coder`,
    { dataset, coders: coders.map((c) => c.name) },
  )
}
