import { createRequire } from 'node:module'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { encodeVideo } from '../../../src/engine/media/encode-video'
import { applyCrop, sourceToCrop, type CropBox } from '../../../src/engine/media/face/align'
import {
  findFaceCrop,
  findVideoFaceCrop,
  type FaceCrop,
  type FaceDetector,
} from '../../../src/engine/media/face/detector'
import { createFaceApiDetector } from '../../../src/engine/media/face/face-api-detector'
import { decodeImage, type RgbImage } from '../../../src/engine/media/image-io'
import { tempDir } from '../../helpers/temp'

// A photograph that ships inside the face-api package (three people); nothing is downloaded.
const SAMPLE = path.join(
  path.dirname(createRequire(import.meta.url).resolve('@vladmandic/face-api/package.json')),
  'demo',
  'sample1.jpg',
)

let detector: FaceDetector
let photo: RgbImage
/** A 320×320 cut around the first person's face, upright. */
let portrait: RgbImage
/** What the detector makes of it (detection takes about a second on a laptop CPU). */
let upright: FaceCrop | null
let dir: string
let cleanup: () => void

/** The cut of the sample, turned by `angle` degrees about the face. */
function cut(angle: number): RgbImage {
  const box: CropBox = { x: 342, y: 314, width: 320, height: 320, angle }
  return applyCrop(photo, box, { width: 320, height: 320 })
}

beforeAll(async () => {
  ;({ dir, cleanup } = tempDir('microau-face-'))
  detector = await createFaceApiDetector()
  photo = await decodeImage(SAMPLE)
  portrait = cut(0)
  upright = await findFaceCrop(portrait, detector)
})
afterAll(() => cleanup())

describe('face-api detector (offline, node-wasm build)', () => {
  it('finds the face and both eyes, and aligns a crop to them', async () => {
    expect(detector.name).toMatch(/^face-api .* on tfjs \w+/)
    expect(upright).not.toBeNull()
    const { face, crop } = upright!
    expect(face.score).toBeGreaterThan(0.8)
    const { box, leftEye, rightEye } = face
    for (const eye of [leftEye, rightEye]) {
      expect(eye.x).toBeGreaterThan(box.x)
      expect(eye.x).toBeLessThan(box.x + box.width)
      expect(eye.y).toBeGreaterThan(box.y)
      expect(eye.y).toBeLessThan(box.y + box.height / 2 + 10)
    }
    expect(leftEye.x).toBeLessThan(rightEye.x)
    // Eyes a face-width apart, roughly: between a quarter and two thirds of the face box.
    const distance = Math.hypot(rightEye.x - leftEye.x, rightEye.y - leftEye.y)
    expect(distance / box.width).toBeGreaterThan(0.25)
    expect(distance / box.width).toBeLessThan(0.67)
    expect(crop.width).toBeCloseTo(2.8 * distance, 6)
    // In the aligned crop the eyes sit level at a third of the height.
    for (const eye of [leftEye, rightEye])
      expect(sourceToCrop(crop, eye).y).toBeCloseTo(0.33 * crop.height, 6)
  })

  it('measures a head tilt: turning the picture by 20° turns the eye line by about −20°', async () => {
    const level = upright!.crop.angle
    const tilted = (await findFaceCrop(cut(20), detector))!.crop.angle
    // The 68-point landmarks place the eyes within a few degrees, not better.
    expect(tilted).toBeLessThan(level - 12)
    expect(tilted).toBeGreaterThan(level - 28)
  })

  it('finds nothing in a blank frame', async () => {
    const blank = { width: 160, height: 120, data: new Uint8Array(160 * 120 * 3).fill(128) }
    expect(await findFaceCrop(blank, detector)).toBeNull()
  })

  it('crops a lab video from its first frame', async () => {
    const file = path.join(dir, 'lab.mkv')
    await encodeVideo([portrait.data, portrait.data, portrait.data], {
      width: 320,
      height: 320,
      fps: 200,
      out: file,
    })
    const fromVideo = await findVideoFaceCrop(file, detector)
    const fromImage = upright!
    expect(fromVideo.crop.x).toBeCloseTo(fromImage.crop.x, 3)
    expect(fromVideo.crop.angle).toBeCloseTo(fromImage.crop.angle, 3)
    const aligned = applyCrop(portrait, fromVideo.crop, { width: 128, height: 128 })
    expect([aligned.width, aligned.height, aligned.data.length]).toEqual([128, 128, 128 * 128 * 3])
  })

  it('says when a video shows no face', async () => {
    const file = path.join(dir, 'empty.mkv')
    const grey = new Uint8Array(64 * 64 * 3).fill(90)
    await encodeVideo([grey, grey], { width: 64, height: 64, fps: 25, out: file })
    await expect(findVideoFaceCrop(file, detector)).rejects.toMatchObject({
      code: 'not_found',
      message: `No face was found in the first frame of ${file}`,
    })
  })
})
