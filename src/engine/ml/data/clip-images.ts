import path from 'node:path'
import { AppError } from '../../../shared/errors'
import type { LibraryDb } from '../../db/open-library'
import { decodeFrames } from '../../media/decode-frames'
import { applyCrop, type CropBox } from '../../media/face/align'
import { readCachedFrame } from '../../media/frame-cache'
import { decodeImage, type RgbImage } from '../../media/image-io'
import { throwIfCancelled } from '../../media/work'

/** Every frame of a clip in memory (8-bit RGB), by absolute frame number, ascending. */
export interface ClipImages {
  clipId: number
  width: number
  height: number
  numbers: number[]
  images: RgbImage[]
}

interface ClipSource {
  sourceKind: 'frames' | 'video'
  sourcePath: string
  crop: string | null
}

/**
 * The numbers of a clip's frames (the frames table: gaps where the release has gaps).
 */
export function clipFrameNumbers(db: LibraryDb, clipId: number): number[] {
  return db
    .prepare('SELECT number FROM frames WHERE clip_id = ? ORDER BY number')
    .pluck()
    .all(clipId) as number[]
}

function cropOf(text: string | null): CropBox | null {
  if (text === null) return null
  const box = JSON.parse(text) as CropBox
  return box.width > 0 && box.height > 0 ? box : null
}

/** One frame of a clip: its absolute number and its 8-bit RGB image. */
export interface ClipFrame {
  number: number
  image: RgbImage
}

/**
 * A clip's frames in ascending order, one pass per call (each pass reads the source again and
 * holds one frame at a time; stopping a pass early stops the decoder).
 */
export type ClipFrameSource = () => AsyncIterable<ClipFrame>

/**
 * Streams the frames of a clip: image files of a frame folder (or their cached copies), or
 * the decoded frames of a video (numbered from the clip's first frame; only the frames table's
 * numbers). When the clip has a face crop (clips.crop) the frames are cut to it. Frames must
 * all have one size. At most one frame is held here, whatever the clip's length.
 */
export async function* clipFrames(
  db: LibraryDb,
  clipId: number,
  frameCacheDir: string,
  signal?: AbortSignal,
): AsyncGenerator<ClipFrame, void, undefined> {
  const clip = db
    .prepare(
      `SELECT source_kind AS sourceKind, source_path AS sourcePath, crop
       FROM clips WHERE id = ?`,
    )
    .get(clipId) as ClipSource | undefined
  if (!clip) throw new AppError('not_found', `There is no clip with id ${clipId}.`, { clipId })
  const frames = db
    .prepare('SELECT number, file, cache_key AS key FROM frames WHERE clip_id = ? ORDER BY number')
    .all(clipId) as { number: number; file: string | null; key: string | null }[]
  const check = sameSize(clipId, cropOf(clip.crop))
  let count = 0
  for await (const frame of clip.sourceKind === 'video'
    ? videoFrames(clip, new Set(frames.map((f) => f.number)), signal)
    : folderFrames(clip.sourcePath, frames, frameCacheDir, clipId, signal)) {
    count++
    yield check(frame)
  }
  if (count === 0) {
    throw new AppError('not_found', `Clip ${clipId} has no readable frames (${clip.sourcePath})`, {
      clipId,
      source: clip.sourcePath,
    })
  }
}

async function* videoFrames(
  clip: ClipSource,
  wanted: ReadonlySet<number>,
  signal: AbortSignal | undefined,
): AsyncGenerator<ClipFrame> {
  let last = -Infinity
  for (const n of wanted) last = Math.max(last, n)
  for await (const frame of decodeFrames(clip.sourcePath, { signal })) {
    // A video clip's frames are numbered by their place in the source video (1-based), as
    // the frame cache numbers them: a spotted clip of a recording starts at its first_frame.
    const number = frame.index
    if (wanted.has(number)) {
      yield { number, image: { width: frame.width, height: frame.height, data: frame.data } }
    }
    // Past the clip's last frame: stop the decoder rather than read the rest of the video.
    if (number >= last) return
  }
}

async function* folderFrames(
  folder: string,
  frames: readonly { number: number; file: string | null; key: string | null }[],
  frameCacheDir: string,
  clipId: number,
  signal: AbortSignal | undefined,
): AsyncGenerator<ClipFrame> {
  for (const f of frames) {
    throwIfCancelled(signal, `Reading the frames of clip ${clipId}`)
    const image =
      f.file !== null
        ? await decodeImage(path.join(folder, f.file))
        : f.key !== null
          ? await readCachedFrame(frameCacheDir, f.key)
          : null
    if (image !== null) yield { number: f.number, image }
  }
}

/**
 * Reads every frame of a clip into memory ({@link clipFrames} collected): for small clips and
 * tests; long recordings are walked with clipFrames.
 */
export async function readClipImages(
  db: LibraryDb,
  clipId: number,
  frameCacheDir: string,
  signal?: AbortSignal,
): Promise<ClipImages> {
  const numbers: number[] = []
  const images: RgbImage[] = []
  for await (const frame of clipFrames(db, clipId, frameCacheDir, signal)) {
    numbers.push(frame.number)
    images.push(frame.image)
  }
  return { clipId, width: images[0].width, height: images[0].height, numbers, images }
}

/** The frames of a clip held in memory, as a frame source. */
export function framesInMemory(clip: Pick<ClipImages, 'numbers' | 'images'>): ClipFrameSource {
  return async function* () {
    for (let i = 0; i < clip.numbers.length; i++) {
      yield { number: clip.numbers[i], image: clip.images[i] }
    }
  }
}

/**
 * A check for a clip's frames one at a time: cuts each to the crop and refuses a frame whose
 * size differs from the first's (naming both frames).
 */
export function sameSize(
  clipId: number,
  crop: CropBox | null = null,
): (frame: ClipFrame) => ClipFrame {
  let first: ClipFrame | undefined
  return (frame) => {
    const image = crop ? cropTo(frame.image, crop) : frame.image
    first ??= { number: frame.number, image }
    if (image.width !== first.image.width || image.height !== first.image.height) {
      throw new AppError(
        'invalid_file',
        `Clip ${clipId}: frame ${frame.number} is ${image.width}×${image.height}, frame ${first.number} is ${first.image.width}×${first.image.height}`,
        { clipId, frame: frame.number },
      )
    }
    return { number: frame.number, image }
  }
}

function cropTo(image: RgbImage, crop: CropBox): RgbImage {
  return applyCrop(image, crop, {
    width: Math.max(1, Math.round(crop.width)),
    height: Math.max(1, Math.round(crop.height)),
  })
}

/** A frame as interleaved RGB floats in [0, 1] (what the signal engine takes). */
export function toUnitFloats(
  image: RgbImage,
  out = new Float32Array(image.data.length),
): Float32Array {
  const data = image.data
  for (let i = 0; i < data.length; i++) out[i] = data[i] / 255
  return out
}

/** Interleaved RGB floats in [0, 1] back to 8-bit RGB (rounded, clamped). */
export function toBytes(values: Float32Array, width: number, height: number): RgbImage {
  const data = new Uint8Array(values.length)
  for (let i = 0; i < values.length; i++) {
    const v = Math.round(values[i] * 255)
    data[i] = v < 0 ? 0 : v > 255 ? 255 : v
  }
  return { width, height, data }
}
