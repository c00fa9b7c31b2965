import type { Rng } from '../../datasets/synthetic/prng'
import type { PixelPreprocessing } from '../model/config'
import { preprocessInPlace } from '../model/preprocess'
import { tf } from '../tf'
import { centreCropOffset, cropInto } from './image-ops'
import { pickCloseToApex } from './key-frames'
import type { TrainingClip } from './training-set'

/** The frames of each clip a batch carries, in this row order: apex rows, close, onset. */
export interface BatchFrames {
  close: boolean
  onset: boolean
}

/** Sizes and pixel pre-processing of network input. */
export interface InputGeometry {
  resizeSize: number
  cropSize: number
  preprocessing: PixelPreprocessing
}

/** A batch as tensors: network input and labels (the caller disposes both). */
export interface BatchTensors {
  /** [k·N, crop, crop, 3], rows: apex 0…N−1, then close-to-apex, then onset (when asked). */
  input: tf.Tensor4D
  /** [N, M] of 0/1. */
  labels: tf.Tensor2D
  clipCount: number
}

function frameOf(clip: TrainingClip, n: number): Uint8Array {
  const pixels = clip.frames.get(n)
  if (!pixels) throw new Error(`clip ${clip.clipId}: frame ${n} was not prepared`)
  return pixels
}

/**
 * Builds a training batch: per clip one random crop position (shared by its frames, so
 * onset and apex differ by the motion only, not by the crop) and one close-to-apex frame
 * drawn from its candidates, both from `rng`.
 */
export function trainingBatch(
  clips: readonly TrainingClip[],
  frames: BatchFrames,
  geometry: InputGeometry,
  rng: Rng,
): BatchTensors {
  const { resizeSize: side, cropSize: crop } = geometry
  const n = clips.length
  const kinds = 1 + (frames.close ? 1 : 0) + (frames.onset ? 1 : 0)
  const imageSize = crop * crop * 3
  const pixels = new Float32Array(kinds * n * imageSize)
  clips.forEach((clip, i) => {
    const x = rng.int(0, side - crop)
    const y = rng.int(0, side - crop)
    const close = frames.close ? pickCloseToApex(clip.closeCandidates, rng) : null
    cropInto(frameOf(clip, clip.apex), side, crop, x, y, pixels, i * imageSize)
    let row = n
    if (close !== null) {
      cropInto(frameOf(clip, close), side, crop, x, y, pixels, (row + i) * imageSize)
      row += n
    }
    if (frames.onset)
      cropInto(frameOf(clip, clip.onset), side, crop, x, y, pixels, (row + i) * imageSize)
  })
  return toTensors(pixels, kinds * n, clips, geometry)
}

/**
 * The centre-cropped apex frames of clips, what the model sees at test time, followed by
 * the clips' onset frames (same crop, same clip order) when `withOnset`: the input of a
 * model that compares each frame with its clip's onset (AuModel.comparesWithOnset).
 */
export function apexBatch(
  clips: readonly TrainingClip[],
  geometry: InputGeometry,
  withOnset = false,
): BatchTensors {
  const { resizeSize: side, cropSize: crop } = geometry
  const offset = centreCropOffset(side, crop)
  const imageSize = crop * crop * 3
  const n = clips.length
  const rows = withOnset ? 2 * n : n
  const pixels = new Float32Array(rows * imageSize)
  clips.forEach((clip, i) => {
    cropInto(frameOf(clip, clip.apex), side, crop, offset, offset, pixels, i * imageSize)
    if (withOnset)
      cropInto(frameOf(clip, clip.onset), side, crop, offset, offset, pixels, (n + i) * imageSize)
  })
  return toTensors(pixels, rows, clips, geometry)
}

/** The clips' AU labels as an [N, M] matrix of 0/1 (the caller disposes it). */
export function labelMatrix(clips: readonly TrainingClip[]): tf.Tensor2D {
  const m = clips[0]?.labels.length ?? 0
  const values = new Float32Array(clips.length * m)
  clips.forEach((clip, i) => values.set(clip.labels, i * m))
  return tf.tensor2d(values, [clips.length, m])
}

function toTensors(
  pixels: Float32Array,
  rows: number,
  clips: readonly TrainingClip[],
  geometry: InputGeometry,
): BatchTensors {
  const { cropSize: crop } = geometry
  const input = tf.tensor4d(preprocessInPlace(pixels, geometry.preprocessing), [
    rows,
    crop,
    crop,
    3,
  ])
  return { input, labels: labelMatrix(clips), clipCount: clips.length }
}
