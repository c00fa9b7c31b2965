import path from 'node:path'
import { AppError } from '../../../shared/errors'
import { decodeFrames } from '../decode-frames'
import type { FfmpegTools } from '../ffmpeg-locate'
import type { RgbImage } from '../image-io'
import { cropBoxFromEyes, type CropBox, type CropOptions, type Point } from './align'

/** One face found in an image, in its pixels. */
export interface DetectedFace {
  box: { x: number; y: number; width: number; height: number }
  /** Detector confidence, 0–1. */
  score: number
  /** Centre of the eye on the image's left (the subject's right eye). */
  leftEye: Point
  /** Centre of the eye on the image's right. */
  rightEye: Point
}

/** Anything that finds faces and their eyes: face-api today, another model tomorrow. */
export interface FaceDetector {
  /** What runs, for reports: model and tensor backend. */
  readonly name: string
  /** Faces in the image, best first. */
  detect(image: RgbImage): Promise<DetectedFace[]>
}

/** A face and the crop aligned to its eyes. */
export interface FaceCrop {
  face: DetectedFace
  crop: CropBox
}

/** The crop aligned to the eyes of the most confident face; null when there is none. */
export async function findFaceCrop(
  image: RgbImage,
  detector: FaceDetector,
  options: CropOptions = {},
): Promise<FaceCrop | null> {
  const faces = await detector.detect(image)
  const face = faces.reduce<DetectedFace | null>(
    (best, f) => (best === null || f.score > best.score ? f : best),
    null,
  )
  return face === null
    ? null
    : { face, crop: cropBoxFromEyes(face.leftEye, face.rightEye, options) }
}

/**
 * The face crop of a raw lab video, from its first frame (lab recordings hold the head
 * still; the first frame is the neutral onset). A video without a detectable face is a
 * 'not_found' AppError naming the file.
 */
export async function findVideoFaceCrop(
  file: string,
  detector: FaceDetector,
  options: CropOptions & { signal?: AbortSignal; tools?: FfmpegTools } = {},
): Promise<FaceCrop> {
  const { signal, tools } = options
  const frames = decodeFrames(file, { signal, tools })
  const first = await frames.next()
  // Stops ffmpeg: one frame is all it takes.
  await frames.return()
  const found = first.done ? null : await findFaceCrop(first.value, detector, options)
  if (found) return found
  const absolute = path.resolve(file)
  throw new AppError('not_found', `No face was found in the first frame of ${absolute}`, {
    file: absolute,
  })
}
