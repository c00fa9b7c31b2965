import crypto from 'node:crypto'
import type { LibraryDb } from '../../db/open-library'
import { readCachedFrame } from '../../media/frame-cache'
import type { RgbImage } from '../../media/image-io'
import { createMagnifier, DEFAULT_MAGNIFY_PARAMS, type Magnifier } from '../../signal'
import type { IirFilter, MagnifyParams, StreamingFilter } from '../../signal'
import { findMagnifiedKeys, writeMagnifiedFrames } from '../../signal-jobs/magnified-store'
import { toBytes, toUnitFloats, type ClipFrame, type ClipFrameSource } from './clip-images'

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
 * Magnifies a stream of frames from its first (the filter sees every frame, as the paper
 * magnifies before taking frames), one frame at a time: `onFrame` gets each magnified frame
 * as 8-bit RGB and returns 'stop' to end the pass early. Holds one frame and the filter's
 * state, whatever the clip's length.
 * @returns the number of frames magnified
 */
export async function magnifyFrames(
  frames: AsyncIterable<ClipFrame>,
  params: MagnifyParams<StreamingFilter>,
  onFrame: (number: number, image: RgbImage) => Promise<'stop' | void> | 'stop' | void,
): Promise<number> {
  let magnifier: Magnifier | undefined
  let input = new Float32Array(0)
  let output = new Float32Array(0)
  let count = 0
  for await (const { number, image } of frames) {
    if (magnifier === undefined) {
      magnifier = createMagnifier(image.width, image.height, 3, params)
      input = new Float32Array(image.width * image.height * 3)
      output = new Float32Array(input.length)
    }
    magnifier.push(toUnitFloats(image, input), output)
    count++
    if ((await onFrame(number, toBytes(output, image.width, image.height))) === 'stop') break
  }
  return count
}

/**
 * Magnifies a clip's frames from the first up to the last frame of `keep` and keeps those
 * frames, as 8-bit RGB; the frames after it are not read.
 */
export async function magnifyKeyFrames(
  frames: AsyncIterable<ClipFrame>,
  keep: ReadonlySet<number>,
  params: MagnifyParams<StreamingFilter> = TRAINING_MAGNIFICATION,
): Promise<Map<number, RgbImage>> {
  const out = new Map<number, RgbImage>()
  const last = Math.max(...keep)
  await magnifyFrames(frames, params, (number, image) => {
    if (keep.has(number)) out.set(number, image)
    return number >= last ? 'stop' : undefined
  })
  return out
}

/**
 * Magnified frames `numbers` of a clip, from the magnified-frame cache when every one is
 * there, otherwise magnified from a pass over the clip's `frames` and stored in it.
 */
export async function cachedMagnifiedFrames(
  db: LibraryDb,
  frameCacheDir: string,
  clipId: number,
  numbers: readonly number[],
  frames: ClipFrameSource,
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
  const magnified = await magnifyKeyFrames(frames(), new Set(wanted), params)
  await writeMagnifiedFrames(db, frameCacheDir, clipId, paramsKey, async (put) => {
    for (const [number, image] of magnified) await put(number, image)
  })
  return magnified
}
