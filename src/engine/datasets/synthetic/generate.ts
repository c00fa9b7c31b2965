import fs from 'node:fs'
import path from 'node:path'
import { AppError } from '../../../shared/errors'
import type { AuSide } from '../../../shared/facs'
import { formatAuCell } from '../../../shared/facs'
import { auField, SYNTHETIC_AUS, type AuField, type PixelBox, type SyntheticAu } from './au-motion'
import { planSyntheticClips, type Emotion, type SyntheticClipPlan } from './clip-plan'
import { renderClip } from './clip-render'
import { createFaceModel } from './face-model'
import { renderNeutralFace } from './face-render'
import { encodeVideo } from '../../media/encode-video'
import { formatCsv } from '../../../shared/csv'
import { encodeJpegRgb } from './jpeg-encoder'
import { Rng } from './prng'
import { CASME2_SHEET_HEADER } from '../sheets/casme2-sheet'

/** What to generate. */
export interface SyntheticDatasetOptions {
  /** An empty or new folder. */
  outDir: string
  subjects: number
  /** Clips per subject, or an inclusive range drawn per subject. */
  clipsPerSubject: number | readonly [number, number]
  seed: number
  /**
   * 'casme2': a CASME II release layout (JPEG frames, xlsx sheet); 'video': one lossless
   * video per clip (`videos/subNN/EPxx_yy.mkv`, frames numbered from 1) and a CSV sheet.
   */
  format: 'casme2' | 'video'
  /** Frame width and height in pixels; default 160. */
  size?: number
  /** Frame rate; default 200 (as CASME II). */
  fps?: number
  /** Put some of the real CASME II sheet's quirks in: '/' apexes, stray files, a duplicate row. */
  quirks?: boolean
  /** JPEG quality of the frames; default 92. */
  jpegQuality?: number
  /** Multiplies every AU's motion and shading (weaker sets for benchmarks); default 1. */
  motionScale?: number
}

/** A quirk the generator put into a clip's sheet row or folder. */
export type SyntheticQuirk = 'missing_apex' | 'stray_file' | 'duplicate_row'

/** Ground truth of one subject. */
export interface SyntheticSubject {
  /** 1-based, as the sheet's Subject column. */
  number: number
  /** Folder name, e.g. 'sub01'. */
  code: string
  /**
   * Where each animatable AU moves (or shades) this subject's face noticeably: a pixel box
   * per half of the face (image left, image right).
   */
  regions: Record<SyntheticAu, PixelBox[]>
}

/** Ground truth of one clip. */
export interface SyntheticClip {
  subject: string
  subjectNumber: number
  /** Clip folder name and sheet Filename, e.g. 'EP03_02'. */
  name: string
  /** The frame folder (absolute), for 'casme2'. */
  folder: string | null
  /** The video file (absolute), for 'video'. */
  video: string | null
  /** Absolute number of the first frame (the N of imgN.jpg; 1 for videos). */
  firstFrame: number
  frameCount: number
  /** Absolute frame numbers of the true onset, apex and offset. */
  onset: number
  apex: number
  offset: number
  /** What the sheet says for the apex: null where the sheet has '/'. */
  sheetApex: number | null
  emotion: Emotion
  labels: { au: SyntheticAu; side: AuSide | null; intensity: null }[]
  quirks: SyntheticQuirk[]
}

/** What was generated. */
export interface SyntheticDataset {
  format: 'casme2' | 'video'
  outDir: string
  /** The coding sheet (xlsx for 'casme2', csv for 'video'). */
  sheetPath: string
  /** The folder of subject folders (`<outDir>/CASME2_RAW_selected` or `<outDir>/videos`). */
  framesRoot: string
  size: number
  fps: number
  subjects: SyntheticSubject[]
  clips: SyntheticClip[]
  /** Non-frame files written on purpose (quirks), absolute. */
  strayFiles: string[]
}

/**
 * Generates a synthetic micro-expression dataset, deterministic by seed: subjects with
 * distinct procedural faces, clips where AUs 1, 2, 4, 6, 7, 9, 10, 12, 14, 15, 17 and 25
 * move their regions by about a pixel (at 160 px) along onset → apex → offset, with sensor
 * noise and head drift; written as a CASME II release (`CASME2_RAW_selected/subNN/EPxx_yy/
 * imgN.jpg` plus `CASME2-coding-synthetic.xlsx` with the real sheet's columns), or as videos
 * with a CSV sheet (needs ffmpeg). The same options give the same frame bytes (JPEG files,
 * decoded video frames) on every machine.
 */
export async function generateSyntheticDataset(
  options: SyntheticDatasetOptions,
): Promise<SyntheticDataset> {
  const size = options.size ?? 160
  const fps = options.fps ?? 200
  checkOptions(options, size, fps)
  const outDir = path.resolve(options.outDir)
  prepareOutDir(outDir)
  const video = options.format === 'video'
  const framesRoot = path.join(outDir, video ? 'videos' : 'CASME2_RAW_selected')
  const countRng = Rng.from(options.seed, 'counts')
  const counts = Array.from({ length: options.subjects }, () =>
    typeof options.clipsPerSubject === 'number'
      ? options.clipsPerSubject
      : countRng.int(options.clipsPerSubject[0], options.clipsPerSubject[1]),
  )
  const plans = planSyntheticClips(options.seed, counts, fps)
  const dataset: SyntheticDataset = {
    format: options.format,
    outDir,
    sheetPath: path.join(outDir, video ? 'coding.csv' : 'CASME2-coding-synthetic.xlsx'),
    framesRoot,
    size,
    fps,
    subjects: [],
    clips: [],
    strayFiles: [],
  }
  for (let s = 0; s < options.subjects; s++) {
    const face = createFaceModel(Rng.from(options.seed, 'face', s))
    const neutral = renderNeutralFace(face, size)
    const fields = new Map<SyntheticAu, AuField>(
      SYNTHETIC_AUS.map((au) => [au, auField(face, au, size)]),
    )
    const code = `sub${String(s + 1).padStart(2, '0')}`
    dataset.subjects.push({
      number: s + 1,
      code,
      regions: Object.fromEntries([...fields].map(([au, f]) => [au, f.regions])) as Record<
        SyntheticAu,
        PixelBox[]
      >,
    })
    for (const planned of plans[s]) {
      const plan = withMotionScale(planned, options.motionScale ?? 1)
      const name = clipName(options.seed, plan)
      const rng = Rng.from(options.seed, 'render', s, plan.clipIndex)
      if (video) {
        const file = path.join(framesRoot, code, `${name}.mkv`)
        const frames: Uint8Array[] = []
        renderClip(neutral, fields, face.cx, plan, size, rng, (_, rgb) => frames.push(rgb.slice()))
        await encodeVideo(frames, {
          width: size,
          height: size,
          fps,
          out: file,
          codec: 'x264-lossless',
        })
        dataset.clips.push(groundTruth({ ...plan, firstFrame: 1 }, code, name, null, file))
        continue
      }
      const folder = path.join(framesRoot, code, name)
      fs.mkdirSync(folder, { recursive: true })
      renderClip(neutral, fields, face.cx, plan, size, rng, (i, rgb) => {
        const file = path.join(folder, `img${plan.firstFrame + i}.jpg`)
        fs.writeFileSync(
          file,
          encodeJpegRgb({ data: rgb, width: size, height: size }, options.jpegQuality ?? 92),
        )
      })
      dataset.clips.push(groundTruth(plan, code, name, folder, null))
    }
  }
  if (options.quirks) addQuirks(dataset, options.seed)
  if (video) writeCsvSheet(dataset)
  else await writeCasme2Sheet(dataset)
  return dataset
}

function checkOptions(options: SyntheticDatasetOptions, size: number, fps: number): void {
  const counts =
    typeof options.clipsPerSubject === 'number'
      ? [options.clipsPerSubject]
      : [...options.clipsPerSubject]
  const bad = (what: string) =>
    new AppError('invalid_input', `Synthetic dataset: ${what}`, { options })
  if (!Number.isInteger(options.subjects) || options.subjects < 1 || options.subjects > 99) {
    throw bad('subjects must be a whole number from 1 to 99')
  }
  if (
    counts.some((c) => !Number.isInteger(c) || c < 1 || c > 99) ||
    (counts.length === 2 && counts[0] > counts[1])
  ) {
    throw bad('clips per subject must be whole numbers from 1 to 99')
  }
  if (!Number.isInteger(size) || size < 32 || size > 2048)
    throw bad('size must be 32 to 2048 pixels')
  if (!Number.isFinite(fps) || fps < 20 || fps > 1000) throw bad('fps must be 20 to 1000')
  if (!Number.isInteger(options.seed)) throw bad('the seed must be a whole number')
  const scale = options.motionScale ?? 1
  if (!(scale > 0 && scale <= 4)) throw bad('the motion scale must be above 0 and at most 4')
}

function prepareOutDir(outDir: string): void {
  if (fs.existsSync(outDir) && fs.readdirSync(outDir).length > 0) {
    throw new AppError(
      'conflict',
      `${outDir} is not empty; the synthetic dataset needs an empty folder`,
      {
        file: outDir,
      },
    )
  }
  fs.mkdirSync(outDir, { recursive: true })
}

/** 'EP<clip>_<take>': episode numbers run per subject, takes vary as in CASME II. */
function clipName(seed: number, plan: SyntheticClipPlan): string {
  const take = Rng.from(seed, 'take', plan.subjectIndex, plan.clipIndex).int(1, 6)
  return `EP${String(plan.clipIndex + 1).padStart(2, '0')}_${String(take).padStart(2, '0')}`
}

function groundTruth(
  plan: SyntheticClipPlan,
  subject: string,
  name: string,
  folder: string | null,
  video: string | null,
): SyntheticClip {
  return {
    subject,
    subjectNumber: plan.subjectIndex + 1,
    name,
    folder,
    video,
    firstFrame: plan.firstFrame,
    frameCount: plan.frameCount,
    onset: plan.firstFrame + plan.onsetIndex,
    apex: plan.firstFrame + plan.apexIndex,
    offset: plan.firstFrame + plan.offsetIndex,
    sheetApex: plan.firstFrame + plan.apexIndex,
    emotion: plan.emotion,
    labels: plan.aus.map((a) => ({ au: a.au, side: a.side, intensity: null })),
    quirks: [],
  }
}

/**
 * The real sheet's quirks: about one apex in ten written '/', a Thumbs.db and an AppleDouble
 * file in some clip folders (frames only), a .DS_Store in the first subject folder, the
 * first row repeated at the end of the sheet.
 */
function addQuirks(dataset: SyntheticDataset, seed: number): void {
  const rng = Rng.from(seed, 'quirks')
  const clips = dataset.clips
  const missing = Math.max(1, Math.round(clips.length / 10))
  for (const clip of rng.shuffle(clips).slice(0, missing)) {
    clip.sheetApex = null
    clip.quirks.push('missing_apex')
  }
  const stray = (file: string, content: string) => {
    fs.writeFileSync(file, content)
    dataset.strayFiles.push(file)
  }
  clips.forEach((clip, i) => {
    if (i % 3 !== 0 || clip.folder === null) return
    stray(path.join(clip.folder, 'Thumbs.db'), 'thumbnail cache')
    if (i % 6 === 0) stray(path.join(clip.folder, `._img${clip.firstFrame}.jpg`), 'AppleDouble')
    clip.quirks.push('stray_file')
  })
  stray(path.join(dataset.framesRoot, dataset.subjects[0].code, '.DS_Store'), 'Finder')
  clips[0].quirks.push('duplicate_row')
}

/** The sheet rows, CASME II style, with the duplicated row (a quirk) at the end. */
function sheetRows(dataset: SyntheticDataset): (string | number | null)[][] {
  const row = (clip: SyntheticClip) => [
    clip.subjectNumber,
    clip.name,
    null,
    clip.onset,
    clip.sheetApex ?? '/',
    clip.offset,
    null,
    auCellValue(clip.labels),
    clip.emotion,
  ]
  const rows = dataset.clips.map(row)
  const duplicated = dataset.clips.find((c) => c.quirks.includes('duplicate_row'))
  if (duplicated) rows.push(row(duplicated))
  return rows
}

async function writeCasme2Sheet(dataset: SyntheticDataset): Promise<void> {
  // Loaded on use: ExcelJS takes ~0.5 s to load, which every process importing this would pay.
  const { default: ExcelJs } = await import('exceljs')
  const workbook = new ExcelJs.Workbook()
  workbook.created = new Date(Date.UTC(2014, 4, 8))
  workbook.modified = workbook.created
  const sheet = workbook.addWorksheet('Sheet1')
  sheet.addRow(CASME2_SHEET_HEADER)
  for (const row of sheetRows(dataset)) sheet.addRow(row)
  await workbook.xlsx.writeFile(dataset.sheetPath)
}

function writeCsvSheet(dataset: SyntheticDataset): void {
  fs.writeFileSync(dataset.sheetPath, formatCsv([CASME2_SHEET_HEADER, ...sheetRows(dataset)]))
}

/** A single bilateral AU is stored as a number, as in the real sheet; anything else as text. */
function auCellValue(labels: SyntheticClip['labels']): number | string {
  return labels.length === 1 && labels[0].side === null ? labels[0].au : formatAuCell(labels)
}

/** The plan with every AU's strength multiplied by `scale`. */
function withMotionScale(plan: SyntheticClipPlan, scale: number): SyntheticClipPlan {
  if (scale === 1) return plan
  return { ...plan, aus: plan.aus.map((a) => ({ ...a, strength: a.strength * scale })) }
}
