import { describe, expect, it } from 'vitest'
import { applyCrop, cropBoxFromEyes, sourceToCrop } from '../../../src/engine/media/face/align'
import type { RgbImage } from '../../../src/engine/media/image-io'

/** A grey image whose pixel (x, y) holds `value(x, y)` in all three channels. */
function greyImage(
  width: number,
  height: number,
  value: (x: number, y: number) => number,
): RgbImage {
  const data = new Uint8Array(width * height * 3)
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      data.fill(value(x, y), (y * width + x) * 3, (y * width + x) * 3 + 3)
  return { width, height, data }
}

const grey = (image: RgbImage, x: number, y: number) => image.data[(y * image.width + x) * 3]

describe('cropBoxFromEyes', () => {
  it('level eyes 40 px apart: side 112, eye line at 0.33 of it (hand-computed)', () => {
    // side = 2.8 × 40 = 112; centre = midpoint (120, 100) moved down (0.5 − 0.33) × 112 = 19.04.
    const box = cropBoxFromEyes({ x: 100, y: 100 }, { x: 140, y: 100 })
    expect(box.width).toBeCloseTo(112, 10)
    expect(box.height).toBeCloseTo(112, 10)
    expect(box.x).toBeCloseTo(64, 10)
    expect(box.y).toBeCloseTo(63.04, 10)
    expect(box.angle).toBeCloseTo(0, 10)
  })

  it('tilted eyes, a 3-4-5 triangle (hand-computed)', () => {
    // Eyes (100, 100) and (130, 140): distance 50, cos 0.6, sin 0.8, angle atan2(40, 30).
    // side = 2 × 50 = 100; down the face (−sin, cos) = (−0.8, 0.6) by (0.5 − 0.25) × 100 = 25
    // from the midpoint (115, 120): centre (95, 135); top-left before turning (45, 85).
    const box = cropBoxFromEyes(
      { x: 100, y: 100 },
      { x: 130, y: 140 },
      { scale: 2, eyeLevel: 0.25 },
    )
    expect(box.x).toBeCloseTo(45, 10)
    expect(box.y).toBeCloseTo(85, 10)
    expect(box.width).toBeCloseTo(100, 10)
    expect(box.angle).toBeCloseTo(53.130102354, 8)
  })

  it('puts the eyes level, centred, at eyeLevel in the crop', () => {
    const left = { x: 210.5, y: 180.25 }
    const right = { x: 290, y: 160 }
    const box = cropBoxFromEyes(left, right, { scale: 2.5, eyeLevel: 0.4 })
    const distance = Math.hypot(right.x - left.x, right.y - left.y)
    const l = sourceToCrop(box, left)
    const r = sourceToCrop(box, right)
    expect(l.y).toBeCloseTo(0.4 * box.height, 9)
    expect(r.y).toBeCloseTo(0.4 * box.height, 9)
    expect(l.x).toBeCloseTo(box.width / 2 - distance / 2, 9)
    expect(r.x).toBeCloseTo(box.width / 2 + distance / 2, 9)
  })

  it('refuses eyes in one place', () => {
    expect(() => cropBoxFromEyes({ x: 5, y: 5 }, { x: 5, y: 5 })).toThrow(/distinct/)
  })
})

describe('applyCrop', () => {
  const image = greyImage(4, 3, (x, y) => 10 * y + x + 1)

  it('is the identity for the whole image at its own size', () => {
    const out = applyCrop(
      image,
      { x: 0, y: 0, width: 4, height: 3, angle: 0 },
      { width: 4, height: 3 },
    )
    expect(out).toEqual(image)
  })

  it('cuts an offset window exactly', () => {
    const out = applyCrop(
      image,
      { x: 1, y: 1, width: 2, height: 2, angle: 0 },
      { width: 2, height: 2 },
    )
    expect([grey(out, 0, 0), grey(out, 1, 0), grey(out, 0, 1), grey(out, 1, 1)]).toEqual([
      12, 13, 22, 23,
    ])
  })

  it('turns by 90°: output (i, j) is source (column i, row 3 − j)', () => {
    const square = greyImage(4, 4, (x, y) => 16 * y + x)
    const out = applyCrop(
      square,
      { x: 0, y: 0, width: 4, height: 4, angle: 90 },
      { width: 4, height: 4 },
    )
    for (let j = 0; j < 4; j++)
      for (let i = 0; i < 4; i++) expect(grey(out, i, j)).toBe(grey(square, 3 - j, i))
  })

  it('interpolates bilinearly between pixel centres', () => {
    const two = greyImage(2, 2, (x, y) => [0, 100, 200, 50][2 * y + x])
    // The single output pixel samples the centre (1, 1): the mean of the four, 87.5 → 88.
    expect(
      grey(
        applyCrop(two, { x: 0, y: 0, width: 2, height: 2, angle: 0 }, { width: 1, height: 1 }),
        0,
        0,
      ),
    ).toBe(88)
    // Half a pixel right of the first centre: (0 + 100) / 2.
    const shifted = applyCrop(
      two,
      { x: 0.5, y: 0, width: 1, height: 1, angle: 0 },
      { width: 1, height: 1 },
    )
    expect(grey(shifted, 0, 0)).toBe(50)
  })

  it('fills outside the image with black', () => {
    const white = greyImage(2, 2, () => 255)
    const out = applyCrop(
      white,
      { x: -2, y: 0, width: 4, height: 2, angle: 0 },
      { width: 4, height: 2 },
    )
    expect([0, 1, 2, 3].map((i) => grey(out, i, 0))).toEqual([0, 0, 255, 255])
  })

  it('refuses an empty crop or output', () => {
    expect(() =>
      applyCrop(image, { x: 0, y: 0, width: 0, height: 3, angle: 0 }, { width: 2, height: 2 }),
    ).toThrow(/empty/)
    expect(() =>
      applyCrop(image, { x: 0, y: 0, width: 4, height: 3, angle: 0 }, { width: 2.5, height: 2 }),
    ).toThrow(/not valid/)
  })
})
