/**
 * The cache of apex-spotting curves (table apex_curves, migration 1030): the score of every
 * frame of a clip by Li, Huang & Zhao's frequency-domain spotter, on the unmagnified frames
 * as the training pipeline spots them, and the frame it suggests as apex.
 */
import crypto from 'node:crypto'
import type { ApexCurve, ApexSpottingParams } from '../../shared/signal'
import type { LibraryDb } from '../db/open-library'
import { getClipRecord } from '../db/queries/clip-frames'
import { throwIfCancelled } from '../media/work'
import { AppError } from '../../shared/errors'
import { clipFrames, toUnitFloats, type ClipFrame, type ClipImages } from '../ml/data/clip-images'
import { DEFAULT_APEX_PARAMS, toGrey } from '../signal'
import { ApexStream } from '../signal/apex-stream'
import { centredWindowFrames } from '../signal/time-scale'
import type { ClipProgress } from './magnified-cache'

/**
 * The apex spotter's window in time: the paper's 61 frames at CASME II's 200 fps (0.3 s, 2h + 1
 * frames centred on the frame scored), converted with each clip's frame rate.
 */
export const APEX_WINDOW_SECONDS = 0.3

/** The frame rate the spotter's setting is taken at when a clip's rate is unknown (CASME II's). */
const PAPER_FPS = 200

/**
 * The spotting setting at a frame rate: the window of APEX_WINDOW_SECONDS in frames, the
 * high-pass radius the same share of it as the paper's (31 of 61), the paper's 6 × 6 grid.
 * At 200 fps this is the paper's setting exactly; at 30 fps a 9-frame window, radius 4.57.
 */
export function apexSpottingParams(fps: number = PAPER_FPS): ApexSpottingParams {
  const windowLength = centredWindowFrames(APEX_WINDOW_SECONDS, fps)
  const paper = DEFAULT_APEX_PARAMS
  return {
    grid: paper.grid,
    windowLength,
    radius: (windowLength * paper.radius) / paper.windowLength,
  }
}

/** The spotting setting for a clip's frame rate (clips.fps). */
export function clipApexParams(db: LibraryDb, clipId: number): ApexSpottingParams {
  return apexSpottingParams(getClipRecord(db, clipId).fps)
}

/** A short stable key of spotting parameters (16 hex digits of a SHA-256). */
export function apexParamsKey(params: ApexSpottingParams): string {
  const canonical = JSON.stringify({
    grid: params.grid,
    radius: params.radius,
    windowLength: params.windowLength,
  })
  return crypto.createHash('sha256').update(canonical).digest('hex').slice(0, 16)
}

interface CurveRow {
  paramsKey: string
  params: string
  numbers: string
  scores: string
  apexFrame: number
  createdAt: string
}

/** The cached curve of a clip for a spotting setting, or null. */
export function readApexCurve(
  db: LibraryDb,
  clipId: number,
  params: ApexSpottingParams = clipApexParams(db, clipId),
): ApexCurve | null {
  const row = db
    .prepare(
      `SELECT params_key AS paramsKey, params, numbers, scores, apex_frame AS apexFrame,
              created_at AS createdAt
       FROM apex_curves WHERE clip_id = ? AND params_key = ?`,
    )
    .get(clipId, apexParamsKey(params)) as CurveRow | undefined
  if (!row) return null
  const numbers = JSON.parse(row.numbers) as number[]
  return {
    clipId,
    paramsKey: row.paramsKey,
    params: JSON.parse(row.params) as ApexSpottingParams,
    numbers,
    scores: JSON.parse(row.scores) as number[],
    apexFrame: row.apexFrame,
    apexIndex: numbers.indexOf(row.apexFrame),
    createdAt: row.createdAt,
  }
}

/** A scored clip: the score of every frame and the frame the spotter picks. */
export interface ScoredClip {
  numbers: number[]
  scores: number[]
  apexIndex: number
  apexFrame: number
}

/**
 * Scores a clip's frames pushed one at a time (8-bit RGB, in ascending order) in bounded
 * memory (ApexStream): grey frames computed as spotApex computes them from RGB (the same
 * float32 inputs and weights), so the curve is the whole-clip computation's.
 */
export class ClipApexScorer {
  private stream: ApexStream | undefined
  private readonly numbers: number[] = []
  private rgb = new Float32Array(0)
  private grey = new Float32Array(0)

  constructor(private readonly params: ApexSpottingParams = apexSpottingParams()) {}

  /** Adds the next frame. */
  push(frame: ClipFrame): void {
    const { width, height, data } = frame.image
    if (this.stream === undefined) {
      this.stream = new ApexStream(width, height, 1, this.params)
      this.rgb = new Float32Array(width * height * 3)
      this.grey = new Float32Array(width * height)
    }
    if (data.length !== this.rgb.length) {
      throw new AppError(
        'invalid_input',
        `frame ${frame.number} is ${width}×${height}, not ${this.stream.width}×${this.stream.height}`,
        { frame: frame.number },
      )
    }
    this.stream.push(toGrey(toUnitFloats(frame.image, this.rgb), 3, this.grey))
    this.numbers.push(frame.number)
  }

  /** The curve of the frames pushed and the apex. */
  finish(): ScoredClip {
    if (this.stream === undefined) {
      throw new AppError('invalid_input', 'the clip has no frames', { field: 'frames' })
    }
    const { apexIndex, scores } = this.stream.finish()
    return {
      numbers: this.numbers,
      scores: Array.from(scores),
      apexIndex,
      apexFrame: this.numbers[apexIndex],
    }
  }
}

/** Scores every frame of a clip in memory and picks the apex (the 200 fps setting by default). */
export function scoreClip(
  clip: Pick<ClipImages, 'numbers' | 'images'>,
  params: ApexSpottingParams = apexSpottingParams(),
): ScoredClip {
  const scorer = new ClipApexScorer(params)
  clip.images.forEach((image, i) => scorer.push({ number: clip.numbers[i], image }))
  return scorer.finish()
}

/** Scores a stream of frames (one pass, bounded memory) and picks the apex (200 fps setting by default). */
export async function scoreFrames(
  frames: AsyncIterable<ClipFrame>,
  params: ApexSpottingParams = apexSpottingParams(),
  onFrame: (count: number) => void = () => undefined,
): Promise<ScoredClip> {
  const scorer = new ClipApexScorer(params)
  let count = 0
  for await (const frame of frames) {
    scorer.push(frame)
    onFrame(++count)
  }
  return scorer.finish()
}

/**
 * The apex curve of a clip: the cached one, or computed from the clip's frames (one streaming
 * pass, bounded memory) and stored.
 * `cached` says which.
 */
export async function apexCurveOf(
  db: LibraryDb,
  frameCacheDir: string,
  clipId: number,
  options: {
    signal?: AbortSignal
    onProgress?: ClipProgress
  } = {},
): Promise<{ curve: ApexCurve; cached: boolean }> {
  const { signal, onProgress = () => undefined } = options
  const record = getClipRecord(db, clipId)
  const params = apexSpottingParams(record.fps)
  const found = readApexCurve(db, clipId, params)
  if (found) return { curve: found, cached: true }
  const label = `${record.subject}/${record.name}`
  const total = record.frameCount
  onProgress(0, total, `Spotting the apex of ${label}`)
  const scored = await scoreFrames(
    clipFrames(db, clipId, frameCacheDir, signal),
    undefined,
    (n) => {
      if (n % 100 === 0) onProgress(Math.min(n, total), total, `Spotting the apex of ${label}`)
    },
  )
  throwIfCancelled(signal, `Spotting the apex of ${label}`)
  db.prepare(
    `INSERT INTO apex_curves (clip_id, params_key, params, numbers, scores, apex_frame)
     VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (clip_id, params_key) DO UPDATE SET params = excluded.params,
       numbers = excluded.numbers, scores = excluded.scores, apex_frame = excluded.apex_frame,
       created_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')`,
  ).run(
    clipId,
    apexParamsKey(params),
    JSON.stringify(params),
    JSON.stringify(scored.numbers),
    JSON.stringify(scored.scores),
    scored.apexFrame,
  )
  onProgress(total, total, `Spotted the apex of ${label}`)
  return { curve: readApexCurve(db, clipId, params)!, cached: false }
}

/**
 * The best-scoring frame within [low, high] (the coded onset and offset), as the training
 * training pipeline takes a spotted apex; the curve's own apex when no frame lies there.
 */
export function apexWithin(
  curve: Pick<ApexCurve, 'numbers' | 'scores' | 'apexIndex'>,
  bounds?: { low: number; high: number },
): number {
  if (!bounds) return curve.numbers[curve.apexIndex]
  let best = -1
  for (let i = 0; i < curve.numbers.length; i++) {
    const n = curve.numbers[i]
    if (n < bounds.low || n > bounds.high) continue
    if (best < 0 || curve.scores[i] > curve.scores[best]) best = i
  }
  return curve.numbers[best < 0 ? curve.apexIndex : best]
}
