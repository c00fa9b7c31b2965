/**
 * Whole-clip magnification in the one magnified-frame cache: PNGs in the content-addressed
 * frame cache, one row per frame in magnified_frames (clip, params key, number). The
 * training pipeline (ml/data/magnified-frames) reads and writes the same rows with the same
 * params key and the same PNG encoding, so whichever runs first serves the other.
 */
import fs from 'node:fs/promises'
import type { MagnifiedFrames, MagnifyClipResult, MagnifySettings } from '../../shared/signal'
import type { LibraryDb } from '../db/open-library'
import { getClipRecord } from '../db/queries/clip-frames'
import { FrameStage, resolveFramePath } from '../media/frame-cache'
import { encodePng } from '../media/image-io'
import { throwIfCancelled } from '../media/work'
import { readClipImages, toBytes, toUnitFloats } from '../ml/data/clip-images'
import { magnifyParamsKey } from '../ml/data/magnified-frames'
import { createMagnifier } from '../signal'
import { magnifyParamsOf } from './settings'

/** PNG compression of magnified frames: the level the training pipeline writes with. */
const PNG_LEVEL = 3

/** Progress of one clip's magnification. */
export type ClipProgress = (done: number, total: number, message: string) => void

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file)
    return true
  } catch {
    return false
  }
}

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
  const rows = db
    .prepare(
      `SELECT f.number, m.cache_key AS key FROM frames f
       LEFT JOIN magnified_frames m
         ON m.clip_id = f.clip_id AND m.number = f.number AND m.params_key = ?
       WHERE f.clip_id = ? ORDER BY f.number`,
    )
    .all(paramsKey, clipId) as { number: number; key: string | null }[]
  if (rows.length === 0 || rows.some((r) => r.key === null)) return null
  const frames = rows as { number: number; key: string }[]
  for (const frame of frames) {
    if (!(await exists(resolveFramePath(frameCacheDir, frame.key)))) return null
  }
  return { clipId, paramsKey, settings, frames }
}

/**
 * Magnifies a whole clip into the cache, frame by frame from the first (the filter sees
 * every frame, as the paper magnifies before taking frames), unless every frame is cached
 * for these settings already. Cancelling leaves the cache and the table as they were.
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

  onProgress(0, record.frameCount, `Reading the frames of ${label}`)
  const clip = await readClipImages(db, clipId, frameCacheDir, signal)
  const { width, height } = clip
  const magnifier = createMagnifier(width, height, 3, magnifyParamsOf(settings))
  const input = new Float32Array(width * height * 3)
  const output = new Float32Array(input.length)
  const total = clip.numbers.length
  const keys: { number: number; key: string }[] = []
  const stage = await FrameStage.open(frameCacheDir)
  try {
    for (let i = 0; i < total; i++) {
      throwIfCancelled(signal, `Magnifying ${label}`)
      magnifier.push(toUnitFloats(clip.images[i], input), output)
      const png = encodePng(toBytes(output, width, height), { compressionLevel: PNG_LEVEL })
      keys.push({ number: clip.numbers[i], key: await stage.put(png) })
      onProgress(i + 1, total, `Magnifying ${label}`)
    }
    await stage.commit()
  } catch (error) {
    await stage.discard()
    throw error
  }
  const upsert = db.prepare(
    `INSERT INTO magnified_frames (clip_id, params_key, number, cache_key) VALUES (?, ?, ?, ?)
     ON CONFLICT (clip_id, params_key, number) DO UPDATE SET cache_key = excluded.cache_key`,
  )
  db.transaction(() => {
    for (const k of keys) upsert.run(clipId, paramsKey, k.number, k.key)
  })()
  return { clipId, paramsKey, frames: keys.length, cached: false }
}
