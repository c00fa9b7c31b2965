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
import { readClipImages, toUnitFloats, type ClipImages } from '../ml/data/clip-images'
import { DEFAULT_APEX_PARAMS, spotApex, toGrey } from '../signal'
import type { ClipProgress } from './magnified-cache'

/** The spotting setting curves are computed with: the paper's. */
export const APEX_SPOTTING_PARAMS: Readonly<ApexSpottingParams> = DEFAULT_APEX_PARAMS

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
  params: ApexSpottingParams = APEX_SPOTTING_PARAMS,
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

/** Scores every frame of a clip in memory and picks the apex (grey frames, one at a time). */
export function scoreClip(
  clip: Pick<ClipImages, 'width' | 'height' | 'numbers' | 'images'>,
  params: ApexSpottingParams = APEX_SPOTTING_PARAMS,
): { numbers: number[]; scores: number[]; apexIndex: number; apexFrame: number } {
  // Grey frames take a third of the memory of RGB floats; the values are the ones spotApex
  // computes from RGB itself (the same float32 inputs and the same weights).
  const rgb = new Float32Array(clip.width * clip.height * 3)
  const frames = clip.images.map((image) => toGrey(toUnitFloats(image, rgb), 3))
  const { apexIndex, scores } = spotApex({ width: clip.width, height: clip.height, frames }, params)
  return {
    numbers: [...clip.numbers],
    scores: Array.from(scores),
    apexIndex,
    apexFrame: clip.numbers[apexIndex],
  }
}

/**
 * The apex curve of a clip: the cached one, or computed from the clip's frames and stored.
 * `cached` says which.
 */
export async function apexCurveOf(
  db: LibraryDb,
  frameCacheDir: string,
  clipId: number,
  options: {
    signal?: AbortSignal
    onProgress?: ClipProgress
    /** The clip's frames when the caller reads them anyway (read here otherwise). */
    load?: () => Promise<ClipImages>
  } = {},
): Promise<{ curve: ApexCurve; cached: boolean }> {
  const { signal, onProgress = () => undefined } = options
  const record = getClipRecord(db, clipId)
  const found = readApexCurve(db, clipId)
  if (found) return { curve: found, cached: true }
  const label = `${record.subject}/${record.name}`
  onProgress(0, 2, `Reading the frames of ${label}`)
  const clip = await (options.load?.() ?? readClipImages(db, clipId, frameCacheDir, signal))
  throwIfCancelled(signal, `Spotting the apex of ${label}`)
  onProgress(1, 2, `Spotting the apex of ${label}`)
  const scored = scoreClip(clip)
  db.prepare(
    `INSERT INTO apex_curves (clip_id, params_key, params, numbers, scores, apex_frame)
     VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (clip_id, params_key) DO UPDATE SET params = excluded.params,
       numbers = excluded.numbers, scores = excluded.scores, apex_frame = excluded.apex_frame,
       created_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')`,
  ).run(
    clipId,
    apexParamsKey(APEX_SPOTTING_PARAMS),
    JSON.stringify(APEX_SPOTTING_PARAMS),
    JSON.stringify(scored.numbers),
    JSON.stringify(scored.scores),
    scored.apexFrame,
  )
  onProgress(2, 2, `Spotted the apex of ${label}`)
  return { curve: readApexCurve(db, clipId)!, cached: false }
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
