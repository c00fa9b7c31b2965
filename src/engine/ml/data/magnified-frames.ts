import crypto from 'node:crypto'
import fs from 'node:fs/promises'
import type { LibraryDb } from '../../db/open-library'
import { FrameStage, readCachedFrame, resolveFramePath } from '../../media/frame-cache'
import { encodePng, type RgbImage } from '../../media/image-io'
import { createMagnifier, DEFAULT_MAGNIFY_PARAMS } from '../../signal'
import type { IirFilter, MagnifyParams, StreamingFilter } from '../../signal'
import { toBytes, toUnitFloats, type ClipImages } from './clip-images'

/** The magnification every model of the paper is trained and tested with: alpha 10, IIR. */
export const TRAINING_MAGNIFICATION: MagnifyParams<IirFilter> = DEFAULT_MAGNIFY_PARAMS

/** A short stable key of magnification parameters (16 hex digits of a SHA-256). */
export function magnifyParamsKey(params: MagnifyParams<StreamingFilter>): string {
  const canonical = JSON.stringify({
    alpha: params.alpha,
    lambdaC: params.lambdaC,
    chromAttenuation: params.chromAttenuation,
    filter: Object.fromEntries(
      Object.entries(params.filter).sort(([a], [b]) => a.localeCompare(b)),
    ),
  })
  return crypto.createHash('sha256').update(canonical).digest('hex').slice(0, 16)
}

/**
 * Magnifies a whole clip frame by frame (the filter sees every frame from the first, as
 * the paper magnifies before taking frames) and keeps the frames in `keep`, as 8-bit RGB.
 */
export function magnifyKeyFrames(
  clip: ClipImages,
  keep: ReadonlySet<number>,
  params: MagnifyParams<StreamingFilter> = TRAINING_MAGNIFICATION,
): Map<number, RgbImage> {
  const magnifier = createMagnifier(clip.width, clip.height, 3, params)
  const input = new Float32Array(clip.width * clip.height * 3)
  const output = new Float32Array(input.length)
  const out = new Map<number, RgbImage>()
  const last = Math.max(...keep)
  for (let i = 0; i < clip.numbers.length && clip.numbers[i] <= last; i++) {
    magnifier.push(toUnitFloats(clip.images[i], input), output)
    if (keep.has(clip.numbers[i]))
      out.set(clip.numbers[i], toBytes(output, clip.width, clip.height))
  }
  return out
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file)
    return true
  } catch {
    return false
  }
}

/**
 * Magnified frames `numbers` of a clip, from the cache when every one is there (rows of
 * magnified_frames whose PNG is still in the frame cache), otherwise computed from the
 * clip that `load` reads and stored: PNGs in the frame cache, keys in magnified_frames.
 */
export async function cachedMagnifiedFrames(
  db: LibraryDb,
  frameCacheDir: string,
  clipId: number,
  numbers: readonly number[],
  load: () => Promise<ClipImages>,
  params: MagnifyParams<StreamingFilter> = TRAINING_MAGNIFICATION,
): Promise<Map<number, RgbImage>> {
  const paramsKey = magnifyParamsKey(params)
  const rows = db
    .prepare(
      'SELECT number, cache_key AS key FROM magnified_frames WHERE clip_id = ? AND params_key = ?',
    )
    .all(clipId, paramsKey) as { number: number; key: string }[]
  const known = new Map(rows.map((r) => [r.number, r.key]))
  const wanted = [...new Set(numbers)]
  let complete = wanted.every((n) => known.has(n))
  if (complete) {
    for (const n of wanted) {
      if (!(await exists(resolveFramePath(frameCacheDir, known.get(n))))) complete = false
    }
  }
  if (complete) {
    const out = new Map<number, RgbImage>()
    for (const n of wanted) out.set(n, await readCachedFrame(frameCacheDir, known.get(n)!))
    return out
  }
  const clip = await load()
  const frames = magnifyKeyFrames(clip, new Set(wanted), params)
  const stage = await FrameStage.open(frameCacheDir)
  const keys: { number: number; key: string }[] = []
  try {
    for (const [number, image] of frames) {
      keys.push({ number, key: await stage.put(encodePng(image, { compressionLevel: 3 })) })
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
  return frames
}
