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
  firstFrame: number
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

/**
 * Reads every frame of a clip: image files of a frame folder (or their cached copies), or
 * the decoded frames of a video (numbered from the clip's first frame). When the clip has a
 * face crop (clips.crop) the frames are cut to it. Frames must all have one size.
 */
export async function readClipImages(
  db: LibraryDb,
  clipId: number,
  frameCacheDir: string,
  signal?: AbortSignal,
): Promise<ClipImages> {
  const clip = db
    .prepare(
      `SELECT source_kind AS sourceKind, source_path AS sourcePath, first_frame AS firstFrame, crop
       FROM clips WHERE id = ?`,
    )
    .get(clipId) as ClipSource | undefined
  if (!clip) throw new AppError('not_found', `There is no clip with id ${clipId}.`, { clipId })
  const frames = db
    .prepare('SELECT number, file, cache_key AS key FROM frames WHERE clip_id = ? ORDER BY number')
    .all(clipId) as { number: number; file: string | null; key: string | null }[]
  const numbers: number[] = []
  const images: RgbImage[] = []
  if (clip.sourceKind === 'video') {
    const wanted = new Set(frames.map((f) => f.number))
    for await (const frame of decodeFrames(clip.sourcePath, { signal })) {
      const number = clip.firstFrame + frame.index - 1
      if (!wanted.has(number)) continue
      numbers.push(number)
      images.push({ width: frame.width, height: frame.height, data: frame.data })
    }
  } else {
    for (const f of frames) {
      throwIfCancelled(signal, `Reading the frames of clip ${clipId}`)
      const image =
        f.file !== null
          ? await decodeImage(path.join(clip.sourcePath, f.file))
          : f.key !== null
            ? await readCachedFrame(frameCacheDir, f.key)
            : null
      if (image === null) continue
      numbers.push(f.number)
      images.push(image)
    }
  }
  if (images.length === 0) {
    throw new AppError('not_found', `Clip ${clipId} has no readable frames (${clip.sourcePath})`, {
      clipId,
      source: clip.sourcePath,
    })
  }
  return finish(clipId, numbers, images, cropOf(clip.crop))
}

/** Checks the frame sizes and applies the crop; shared with the folder readers. */
export function finish(
  clipId: number,
  numbers: number[],
  images: RgbImage[],
  crop: CropBox | null = null,
): ClipImages {
  const cropped = crop
    ? images.map((image) =>
        applyCrop(image, crop, {
          width: Math.max(1, Math.round(crop.width)),
          height: Math.max(1, Math.round(crop.height)),
        }),
      )
    : images
  const { width, height } = cropped[0]
  cropped.forEach((image, i) => {
    if (image.width !== width || image.height !== height) {
      throw new AppError(
        'invalid_file',
        `Clip ${clipId}: frame ${numbers[i]} is ${image.width}×${image.height}, frame ${numbers[0]} is ${width}×${height}`,
        { clipId, frame: numbers[i] },
      )
    }
  })
  return { clipId, width, height, numbers, images: cropped }
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
