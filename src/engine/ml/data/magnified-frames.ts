import crypto from 'node:crypto'
import type { LibraryDb } from '../../db/open-library'
import { readCachedFrame } from '../../media/frame-cache'
import type { RgbImage } from '../../media/image-io'
import { createMagnifier, DEFAULT_MAGNIFY_PARAMS } from '../../signal'
import type { IirFilter, MagnifyParams, StreamingFilter } from '../../signal'
import { findMagnifiedKeys, writeMagnifiedFrames } from '../../signal-jobs/magnified-store'
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

/**
 * Magnified frames `numbers` of a clip, from the magnified-frame cache when every one is
 * there, otherwise computed from the clip that `load` reads and stored in it.
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
  const wanted = [...new Set(numbers)]
  const known = await findMagnifiedKeys(db, frameCacheDir, clipId, paramsKey, wanted)
  if (known) {
    const out = new Map<number, RgbImage>()
    for (const [n, key] of known) out.set(n, await readCachedFrame(frameCacheDir, key))
    return out
  }
  const frames = magnifyKeyFrames(await load(), new Set(wanted), params)
  await writeMagnifiedFrames(db, frameCacheDir, clipId, paramsKey, async (put) => {
    for (const [number, image] of frames) await put(number, image)
  })
  return frames
}
