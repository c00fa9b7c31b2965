/**
 * The one reader and writer of the magnified-frame cache: PNGs in the content-addressed
 * frame cache, one row per frame in magnified_frames (clip, params key, number). Whole-clip
 * magnification (the viewer's magnified view) and the training pipeline's key frames both
 * go through here, so whichever runs first serves the other.
 */
import type { LibraryDb } from '../db/open-library'
import { FrameStage, resolveFramePath } from '../media/frame-cache'
import { encodePng, type RgbImage } from '../media/image-io'
import { pathExists } from '../files/path-exists'

/** PNG compression of magnified frames (fast to write, lossless). */
const PNG_LEVEL = 3

/**
 * The cache keys of frames `numbers` of a clip magnified with `paramsKey`, or null unless
 * every one has a row and its PNG is still in the frame cache.
 */
export async function findMagnifiedKeys(
  db: LibraryDb,
  frameCacheDir: string,
  clipId: number,
  paramsKey: string,
  numbers: readonly number[],
): Promise<Map<number, string> | null> {
  const rows = db
    .prepare(
      'SELECT number, cache_key AS key FROM magnified_frames WHERE clip_id = ? AND params_key = ?',
    )
    .all(clipId, paramsKey) as { number: number; key: string }[]
  const known = new Map(rows.map((r) => [r.number, r.key]))
  const found = new Map<number, string>()
  for (const n of numbers) {
    const key = known.get(n)
    if (key === undefined || !(await pathExists(resolveFramePath(frameCacheDir, key)))) return null
    found.set(n, key)
  }
  return found
}

/** Adds one magnified frame to a write in progress. */
export type PutMagnifiedFrame = (number: number, image: RgbImage) => Promise<void>

/**
 * Stores the frames `produce` puts: PNGs staged in the frame cache, then the rows in one
 * transaction. An error (a cancel included) discards the staged files and writes no row,
 * so the cache and the table stay as they were. Answers the number of frames stored.
 */
export async function writeMagnifiedFrames(
  db: LibraryDb,
  frameCacheDir: string,
  clipId: number,
  paramsKey: string,
  produce: (put: PutMagnifiedFrame) => Promise<void>,
): Promise<number> {
  const keys: { number: number; key: string }[] = []
  const stage = await FrameStage.open(frameCacheDir)
  try {
    await produce(async (number, image) => {
      keys.push({ number, key: await stage.put(encodePng(image, { compressionLevel: PNG_LEVEL })) })
    })
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
  }).immediate()
  return keys.length
}
