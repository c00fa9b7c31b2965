import fs from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { CropSpill, spillBytesFor } from '../../../src/engine/batch/crop-spill'
import { eventApexes } from '../../../src/engine/batch/event-apex'
import { applyCrop } from '../../../src/engine/media/face/align'
import type { RgbImage } from '../../../src/engine/media/image-io'
import { AppError } from '../../../src/shared/errors'
import { tempDir } from '../../helpers/temp'

const { dir, cleanup } = tempDir('microau-crop-spill-')
afterAll(() => cleanup())

/** A 40×30 frame whose pixel values depend on position and `seed`. */
function frame(seed: number): RgbImage {
  const data = new Uint8Array(40 * 30 * 3)
  for (let i = 0; i < data.length; i++) data[i] = (i * 7 + seed * 31) % 256
  return { width: 40, height: 30, data }
}

describe('CropSpill', () => {
  it('gives back each frame cut at its box (or whole), by 1-based number', () => {
    const spill = new CropSpill(8, dir)
    const box = { x: 3.5, y: 2, width: 20, height: 20, angle: 5 }
    spill.append(frame(1), box)
    spill.append(frame(2), null)
    expect(spill.frames).toBe(2)
    expect(spill.crop(1)).toEqual(applyCrop(frame(1), box, { width: 8, height: 8 }))
    const whole = { x: 0, y: 0, width: 40, height: 30, angle: 0 }
    expect(spill.crop(2)).toEqual(applyCrop(frame(2), whole, { width: 8, height: 8 }))
    expect(() => spill.crop(3)).toThrow('frame 3 is not stored (1 … 2)')
    expect(() => spill.crop(0)).toThrow(RangeError)
    const files = fs.readdirSync(dir)
    // One record a frame, the crop alone: spillBytesFor.
    const size = fs.statSync(path.join(dir, files[0], 'crops.bin')).size
    expect(size).toBe(spillBytesFor(2, 8))
    expect(size).toBe(2 * 8 * 8 * 3)
    spill.dispose()
    expect(files).toHaveLength(1)
    expect(fs.readdirSync(dir)).toEqual([])
  })

  it('refuses a side that is not a size', () => {
    expect(() => new CropSpill(0, dir)).toThrow(AppError)
    expect(fs.readdirSync(dir)).toEqual([])
  })

  it('names the file when an event lies outside the stored frames', () => {
    const spill = new CropSpill(4, dir)
    try {
      for (let i = 0; i < 3; i++) spill.append(frame(i), null)
      const apexes = (events: { clipId: number; onset: number; apex: number }[]) => [
        ...eventApexes('/lab/p01/rec.mp4', spill, events),
      ]
      expect(apexes([{ clipId: 1, onset: 1, apex: 3 }])).toHaveLength(1)
      expect(() => apexes([{ clipId: 2, onset: 2, apex: 4 }])).toThrow(
        '/lab/p01/rec.mp4 holds 3 frames: the spotted event 2–4 is not inside them',
      )
      expect(() => apexes([{ clipId: 3, onset: 0, apex: 2 }])).toThrow(AppError)
    } finally {
      spill.dispose()
    }
  })
})
