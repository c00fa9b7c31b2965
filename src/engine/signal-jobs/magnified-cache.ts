/** Whole-clip magnification in the magnified-frame cache (see magnified-store.ts). */
import type { MagnifiedFrames, MagnifyClipResult, MagnifySettings } from '../../shared/signal'
import type { LibraryDb } from '../db/open-library'
import { getClipRecord } from '../db/queries/clip-frames'
import { throwIfCancelled } from '../media/work'
import { clipFrames } from '../ml/data/clip-images'
import { magnifyFrames, magnifyParamsKey } from '../ml/data/magnified-frames'
import { findMagnifiedKeys, writeMagnifiedFrames } from './magnified-store'
import { magnifyParamsOf } from './settings'

/** Progress of one clip's magnification. */
export type ClipProgress = (done: number, total: number, message: string) => void

/** The params key of magnification settings (as the magnified_frames table stores it). */
export function settingsKey(settings: MagnifySettings): string {
  return magnifyParamsKey(magnifyParamsOf(settings))
}

/**
 * The magnified frames of every frame of a clip (the frames table's numbers) for these
 * settings, or null unless each has a row in magnified_frames and its PNG is still in the
 * frame cache.
 */
export async function readMagnifiedFrames(
  db: LibraryDb,
  frameCacheDir: string,
  clipId: number,
  settings: MagnifySettings,
): Promise<MagnifiedFrames | null> {
  const paramsKey = settingsKey(settings)
  const numbers = db
    .prepare('SELECT number FROM frames WHERE clip_id = ? ORDER BY number')
    .pluck()
    .all(clipId) as number[]
  if (numbers.length === 0) return null
  const keys = await findMagnifiedKeys(db, frameCacheDir, clipId, paramsKey, numbers)
  if (!keys) return null
  const frames = numbers.map((number) => ({ number, key: keys.get(number)! }))
  return { clipId, paramsKey, settings, frames }
}

/**
 * Magnifies a whole clip into the cache, frame by frame from the first (the filter sees
 * every frame, as the paper magnifies before taking frames) in one streaming pass that holds
 * one frame at a time, unless every frame is cached for these settings already. Cancelling leaves the cache and the table as they were.
 */
export async function magnifyClipIntoCache(
  db: LibraryDb,
  frameCacheDir: string,
  clipId: number,
  settings: MagnifySettings,
  options: { signal?: AbortSignal; onProgress?: ClipProgress } = {},
): Promise<MagnifyClipResult> {
  const { signal, onProgress = () => undefined } = options
  const record = getClipRecord(db, clipId)
  const label = `${record.subject}/${record.name}`
  const cached = await readMagnifiedFrames(db, frameCacheDir, clipId, settings)
  const paramsKey = settingsKey(settings)
  if (cached) return { clipId, paramsKey, frames: cached.frames.length, cached: true }

  const total = record.frameCount
  onProgress(0, total, `Magnifying ${label}`)
  const frames = clipFrames(db, clipId, frameCacheDir, signal)
  const stored = await writeMagnifiedFrames(db, frameCacheDir, clipId, paramsKey, async (put) => {
    let done = 0
    await magnifyFrames(frames, magnifyParamsOf(settings), async (number, image) => {
      throwIfCancelled(signal, `Magnifying ${label}`)
      await put(number, image)
      onProgress(Math.min(++done, total), total, `Magnifying ${label}`)
    })
  })
  return { clipId, paramsKey, frames: stored, cached: false }
}
