import { createRequire } from 'node:module'
import path from 'node:path'
import type * as FaceApi from '@vladmandic/face-api'
import { beforeAll, describe, expect, it } from 'vitest'
import { applyCrop } from '../../../src/engine/media/face/align'
import { decodeImage, type RgbImage } from '../../../src/engine/media/image-io'
import { selectBackend } from '../../../src/engine/ml/backend'
import { AuModel } from '../../../src/engine/ml/model/au-model'
import { FACE_API_PREPROCESSING } from '../../../src/engine/ml/model/config'
import { preprocessPixels } from '../../../src/engine/ml/model/preprocess'
import { tf } from '../../../src/engine/ml/tf'
import {
  FACE_API_RECOGNITION_MANIFEST,
  faceApiModelDir,
  loadFaceApiWeights,
  readTfjsWeights,
} from '../../../src/engine/ml/weights/face-api-weights'

const load = createRequire(import.meta.url)
// A photograph that ships inside the face-api package; nothing is downloaded.
const SAMPLE = path.join(
  path.dirname(load.resolve('@vladmandic/face-api/package.json')),
  'demo',
  'sample1.jpg',
)

let faceapi: typeof FaceApi
let face: RgbImage

/** ‖a − b‖ / ‖b‖. */
function relativeError(a: Float32Array, b: Float32Array): number {
  let diff = 0
  let norm = 0
  for (let i = 0; i < b.length; i++) {
    diff += (a[i] - b[i]) ** 2
    norm += b[i] ** 2
  }
  return Math.sqrt(diff / norm)
}

/** Our rebuilt network's descriptor: pooled feature × face-api's fc. */
async function ourDescriptor(model: AuModel, image: RgbImage): Promise<Float32Array> {
  const fc = (await readTfjsWeights(faceApiModelDir(), FACE_API_RECOGNITION_MANIFEST)).get('fc')!
  return tf
    .tidy(() => {
      const rgb = tf.tensor4d(image.data, [1, image.height, image.width, 3], 'float32')
      const out = model.apply(preprocessPixels(rgb, FACE_API_PREPROCESSING), { training: false })
      return out.features.matMul(tf.tensor2d(fc.values, fc.shape as [number, number]))
    })
    .dataSync() as Float32Array
}

async function faceApiDescriptor(image: RgbImage): Promise<Float32Array> {
  const input = faceapi.tf.tensor3d(image.data, [image.height, image.width, 3], 'int32')
  try {
    return (await faceapi.nets.faceRecognitionNet.computeFaceDescriptor(input)) as Float32Array
  } finally {
    input.dispose()
  }
}

beforeAll(async () => {
  await selectBackend({ purpose: 'inference' })
  faceapi = load('@vladmandic/face-api/dist/face-api.node-wasm.js') as typeof FaceApi
  await faceapi.nets.faceRecognitionNet.loadFromDisk(faceApiModelDir())
  const photo = await decodeImage(SAMPLE)
  // The first person's face, cut square and resized to the network's 150 × 150 input.
  face = applyCrop(
    photo,
    { x: 392, y: 364, width: 220, height: 220, angle: 0 },
    { width: 150, height: 150 },
  )
})

describe('the face preset backbone (face-api face_recognition_model in our layers)', () => {
  it("gives face-api's own 128-d descriptor for the same face", async () => {
    const model = AuModel.create(
      { family: 'face-resnet', inputSize: 150, preprocessing: FACE_API_PREPROCESSING },
      ['1'],
    )
    const report = await loadFaceApiWeights(model)
    expect(report.unused).toEqual(['fc'])
    expect(report.loaded).toBe(model.layout.layers.reduce((n, l) => n + l.weights.length, 0))
    const reference = await faceApiDescriptor(face)
    expect(reference).toHaveLength(128)
    const ours = await ourDescriptor(model, face)
    expect(relativeError(ours, reference)).toBeLessThan(1e-4)
    model.dispose()
  })

  it('is not matched by the same network with freshly initialised weights', async () => {
    const model = AuModel.create(
      { family: 'face-resnet', inputSize: 150, preprocessing: FACE_API_PREPROCESSING },
      ['1'],
      { seed: 3 },
    )
    const reference = await faceApiDescriptor(face)
    expect(relativeError(await ourDescriptor(model, face), reference)).toBeGreaterThan(0.1)
    model.dispose()
  })
})
