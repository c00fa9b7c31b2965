import fs from 'node:fs'
import path from 'node:path'
import { AppError } from '../../../shared/errors'
import type { LibraryDb } from '../../db/open-library'
import type { ImportFlag } from '../flags'
import { FRAME_FILE_PATTERN } from '../frames/frame-folder'
import { FOLDER_CLIP_FPS } from '../import/folder-clip'
import { FramePlanner, isDirectory } from '../import/frame-planner'
import type { ImportReport, PlannedClip } from '../import/import-plan'
import { checkFps } from '../import/sheet-import'
import { planVideoClip } from '../import/video-planner'
import { writeImport } from '../import/write-import'
import { CLIP_PROPERTY } from './clip-eaf'
import { eafCodes } from './eaf-codes'
import type { EafDocument } from './eaf-document'
import { readEafFile } from './eaf-read'
import { resolveMedia } from './media-link'

/** Options of an ELAN import. */
export interface EafImportOptions {
  /** An .eaf file, or a folder whose .eaf files (in any subfolder) are read. */
  source: string
  dataset: string
  /** Where to look for media whose links are broken (by file or folder name). */
  mediaFolder?: string
  /** Frame rate of frame-folder media the .eaf does not give one for (default 200, flagged). */
  fps?: number
  /** Subject of clips the .eaf does not name one for (default: the .eaf's name, flagged). */
  subject?: string
  /** Tier id → coder name; without it every independent tier is a coder of its name. */
  tierCoders?: Readonly<Record<string, string>>
}

/**
 * Imports ELAN documents, one clip each: the clip from the linked media (video or frame
 * folder; named by the app's header properties when present), each coder tier's annotation
 * as that coder's onset–offset and AU labels, its dependent tier as the apex, times snapped to
 * frames by the rule of eaf-time.ts. Every file is read and checked before the library is
 * touched, and everything lands in one transaction or nothing does.
 */
export async function importEaf(db: LibraryDb, options: EafImportOptions): Promise<ImportReport> {
  const source = path.resolve(options.source)
  const files = eafFiles(source)
  const docs = files.map((file) => ({ file, doc: readEafFile(file) }))
  checkMapping(
    options.tierCoders,
    docs.map((d) => d.doc),
    source,
  )
  const flags: ImportFlag[] = []
  const planner = new FramePlanner(flags, FRAME_FILE_PATTERN)
  const clips: PlannedClip[] = []
  const seen = new Map<string, string>()
  for (const { file, doc } of docs) {
    const clip = await planClip(file, doc, options, planner, flags)
    if (!clip) continue
    const key = `${clip.subject}/${clip.name}`
    const other = seen.get(key)
    if (other) {
      throw new AppError('invalid_input', `${file} and ${other} are both clip ${key}`, {
        file,
        other,
      })
    }
    seen.set(key, file)
    clip.codes = eafCodes(
      {
        doc,
        file,
        clip: key,
        first: clip.frames[0].number,
        fps: clip.fps,
        tierCoders: options.tierCoders,
      },
      flags,
    )
    flagOutside(clip, file, flags)
    clips.push(clip)
  }
  return writeImport(db, {
    dataset: options.dataset,
    format: 'eaf',
    source,
    fps: options.fps ?? null,
    clips,
    flags,
  })
}

/** The .eaf files of a file or folder, sorted; none is an error. */
function eafFiles(source: string): string[] {
  if (!fs.existsSync(source))
    throw new AppError('not_found', `No file or folder ${source}`, { file: source })
  const files = isDirectory(source)
    ? (fs.readdirSync(source, { recursive: true, encoding: 'utf8' }) as string[])
        .filter((f) => f.toLowerCase().endsWith('.eaf'))
        .map((f) => path.join(source, f))
        .sort()
    : [source]
  if (files.length === 0)
    throw new AppError('invalid_input', `${source} holds no .eaf file`, { file: source })
  return files
}

/** A mapping must name tiers that exist: a typo would silently drop a coder. */
function checkMapping(
  tierCoders: Readonly<Record<string, string>> | undefined,
  docs: EafDocument[],
  source: string,
): void {
  if (!tierCoders) return
  const tiers = new Set(docs.flatMap((d) => d.tiers.map((t) => t.id)))
  const unknown = Object.keys(tierCoders).filter((t) => !tiers.has(t))
  if (unknown.length > 0) {
    throw new AppError(
      'invalid_input',
      `No tier named ${unknown.map((t) => `'${t}'`).join(', ')} in ${source} (tiers: ${[...tiers].join(', ')})`,
      { file: source, tiers: unknown },
    )
  }
}

async function planClip(
  file: string,
  doc: EafDocument,
  options: EafImportOptions,
  planner: FramePlanner,
  flags: ImportFlag[],
): Promise<PlannedClip | null> {
  const property = (name: string) => doc.properties.find((p) => p.name === name)?.value
  const stem = path.basename(file, path.extname(file))
  const clip = property(CLIP_PROPERTY.clip) ?? stem
  const subject = property(CLIP_PROPERTY.subject) ?? options.subject ?? stem
  if (property(CLIP_PROPERTY.subject) === undefined && options.subject === undefined) {
    flags.push({
      file,
      code: 'subject_assumed',
      message: `No subject given; the clip goes in as its own subject '${subject}'`,
    })
  }
  const emotion = property(CLIP_PROPERTY.emotion) ?? null
  const media = doc.media[0] ? resolveMedia(doc.media[0], file, options.mediaFolder ?? null) : null
  if (!media) {
    const link = doc.media[0] ? (doc.media[0].relativeUrl ?? doc.media[0].url) : 'no media'
    flags.push({
      file,
      clip: `${subject}/${clip}`,
      code: 'missing_clip_folder',
      message: `The linked media (${link}) is not there; the clip is skipped`,
    })
    return null
  }
  if (!isDirectory(media)) {
    return planVideoClip({ source: file, file: media, subject, clip, emotion, codes: [] }, flags)
  }
  const fps = checkFps(options.fps ?? numberOf(property(CLIP_PROPERTY.fps)) ?? FOLDER_CLIP_FPS)
  if (options.fps === undefined && property(CLIP_PROPERTY.fps) === undefined) {
    flags.push({ file, code: 'fps_assumed', message: `No frame rate given; ${fps} fps assumed` })
  }
  const from = numberOf(property(CLIP_PROPERTY.firstFrame))
  const count = numberOf(property(CLIP_PROPERTY.frameCount))
  const range =
    from !== undefined && count !== undefined ? { from, to: from + count - 1 } : undefined
  return planner.plan({
    source: file,
    folder: media,
    subject,
    clip,
    range,
    fps,
    emotion,
    codes: [],
  })
}

function numberOf(text: string | undefined): number | undefined {
  const n = text === undefined ? NaN : Number(text)
  return Number.isFinite(n) ? n : undefined
}

/** Markers on frames the clip does not have are stored as written, and flagged. */
function flagOutside(clip: PlannedClip, file: string, flags: ImportFlag[]): void {
  const first = clip.frames[0].number
  const last = clip.frames[clip.frames.length - 1].number
  for (const codes of clip.codes) {
    const outside = (['onset', 'apex', 'offset'] as const).filter((k) => {
      const n = codes[k]
      return n !== null && (n < first || n > last)
    })
    if (outside.length === 0) continue
    flags.push({
      file,
      clip: `${clip.subject}/${clip.name}`,
      code: 'marker_outside_frames',
      message: `${codes.coder}: ${outside.map((k) => `${k} ${codes[k]}`).join(', ')} not among the frames ${first}–${last}`,
    })
  }
}
