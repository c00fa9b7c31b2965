import { createRequire } from 'node:module'
import path from 'node:path'
import type * as FaceApi from '@vladmandic/face-api'
import { AppError } from '../../../shared/errors'
import { selectBackend } from '../../ml/backend'
import { tf } from '../../ml/tf'
import type { RgbImage } from '../image-io'
import type { Point } from './align'
import type { DetectedFace, FaceDetector } from './detector'

const load = createRequire(import.meta.url)

/** Options of the face-api detector. */
export interface FaceApiDetectorOptions {
  /** Faces scoring lower are ignored. Default 0.5. */
  minConfidence?: number
}

/**
 * A FaceDetector on @vladmandic/face-api: SSD MobileNet v1 finds faces, the 68-point
 * landmark net places the eyes (each eye's centre is the mean of its six points). Runs
 * offline: the weights ship in the package's `model` folder and the node-wasm build is
 * used, so no native TensorFlow is needed. Runs on the tensor backend already active, or
 * lets ml/backend choose one for inference.
 */
export async function createFaceApiDetector(
  options: FaceApiDetectorOptions = {},
): Promise<FaceDetector> {
  const minConfidence = options.minConfidence ?? 0.5
  let faceapi: typeof FaceApi
  let modelDir: string
  try {
    faceapi = load('@vladmandic/face-api/dist/face-api.node-wasm.js') as typeof FaceApi
    modelDir = path.join(path.dirname(load.resolve('@vladmandic/face-api/package.json')), 'model')
  } catch (error) {
    throw new AppError(
      'missing_dependency',
      `The face detector cannot load @vladmandic/face-api: ${(error as Error).message}`,
    )
  }
  // backendName stays undefined until a backend was chosen.
  let backend = tf.engine().backendName as string | undefined
  if (backend === undefined) backend = (await selectBackend({ purpose: 'inference' })).name
  try {
    if (!faceapi.nets.ssdMobilenetv1.isLoaded)
      await faceapi.nets.ssdMobilenetv1.loadFromDisk(modelDir)
    if (!faceapi.nets.faceLandmark68Net.isLoaded)
      await faceapi.nets.faceLandmark68Net.loadFromDisk(modelDir)
  } catch (error) {
    throw new AppError(
      'missing_dependency',
      `The face detector cannot load its weights from ${modelDir}: ${(error as Error).message}`,
      { modelDir },
    )
  }
  const detectorOptions = new faceapi.SsdMobilenetv1Options({ minConfidence })
  return {
    name: `face-api ${faceapi.version} (SSD MobileNet v1 + 68 landmarks) on tfjs ${backend}`,
    async detect(image: RgbImage): Promise<DetectedFace[]> {
      const input = faceapi.tf.tensor3d(image.data, [image.height, image.width, 3], 'int32')
      try {
        const results = await faceapi.detectAllFaces(input, detectorOptions).withFaceLandmarks()
        return results
          .map((result) => {
            const { x, y, width, height } = result.detection.box
            return {
              box: { x, y, width, height },
              score: result.detection.score,
              leftEye: centre(result.landmarks.getLeftEye()),
              rightEye: centre(result.landmarks.getRightEye()),
            }
          })
          .sort((a, b) => b.score - a.score)
      } finally {
        input.dispose()
      }
    },
  }
}

function centre(points: readonly Point[]): Point {
  let x = 0
  let y = 0
  for (const point of points) {
    x += point.x
    y += point.y
  }
  return { x: x / points.length, y: y / points.length }
}
