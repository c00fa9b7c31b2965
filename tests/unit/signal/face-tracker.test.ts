import { describe, expect, it } from 'vitest'
import { euclideanStep, solveSymmetric3 } from '../../../src/engine/signal/spotting/euclidean-step'
import { cropBoxOf, FaceTrack } from '../../../src/engine/signal/spotting/face-track'
import { FaceTracker, type TrackBox } from '../../../src/engine/signal/spotting/face-tracker'

const WIDTH = 160
const HEIGHT = 140
/** The start box: centre (80, 70), side 80, upright. */
const BOX: TrackBox = { x: 40, y: 30, side: 80, angle: 0 }
const CENTRE = { x: 80, y: 70 }

/** A smooth texture with structure in every direction (no symmetry about the box's centre). */
function texture(x: number, y: number): number {
  return (
    128 +
    40 * Math.sin(x * 0.31) * Math.cos(y * 0.23) +
    30 * Math.sin((x + 2 * y) * 0.11) +
    25 * Math.cos((3 * x - y) * 0.07)
  )
}

/**
 * The texture moved as a head moves: turned by `degrees` clockwise about the box's centre,
 * then shifted by (dx, dy). Pixel (x, y) shows the texture at its centre (x + 0.5, y + 0.5)
 * moved back.
 */
function frame(degrees: number, dx: number, dy: number) {
  const a = (degrees * Math.PI) / 180
  const data = new Uint8Array(WIDTH * HEIGHT)
  for (let y = 0; y < HEIGHT; y++) {
    for (let x = 0; x < WIDTH; x++) {
      const px = x + 0.5 - CENTRE.x - dx
      const py = y + 0.5 - CENTRE.y - dy
      const qx = Math.cos(a) * px + Math.sin(a) * py + CENTRE.x
      const qy = -Math.sin(a) * px + Math.cos(a) * py + CENTRE.y
      data[y * WIDTH + x] = Math.round(texture(qx, qy))
    }
  }
  return { width: WIDTH, height: HEIGHT, data }
}

function meanAbsolute(a: Float32Array, b: Float32Array): number {
  let sum = 0
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i])
  return sum / a.length
}

describe('solveSymmetric3', () => {
  it('solves a worked system', () => {
    // A = [[4, 2, 0], [2, 5, 1], [0, 1, 3]], x = (1, −2, 3): A·x = (0, −5, 7)
    const x = solveSymmetric3([4, 2, 0, 5, 1, 3], [0, -5, 7])!
    expect(x[0]).toBeCloseTo(1, 12)
    expect(x[1]).toBeCloseTo(-2, 12)
    expect(x[2]).toBeCloseTo(3, 12)
  })

  it('refuses a degenerate system', () => {
    // rows 1 and 2 of [[1, 2, 0], [2, 4, 0], [0, 0, 1]] are proportional
    expect(solveSymmetric3([1, 2, 0, 4, 0, 1], [1, 1, 1])).toBeNull()
    expect(solveSymmetric3([0, 0, 0, 0, 0, 0], [0, 0, 0])).toBeNull()
  })
})

/** A size × size crop of f at pixel centres, (u, v) from the crop's centre. */
function cropOf(size: number, f: (u: number, v: number) => number): Float32Array {
  const out = new Float32Array(size * size)
  for (let v = 0; v < size; v++) {
    for (let u = 0; u < size; u++) out[v * size + u] = f(u + 0.5 - size / 2, v + 0.5 - size / 2)
  }
  return out
}

describe('euclideanStep', () => {
  const size = 48
  const reference = cropOf(size, (u, v) => texture(u + 50, v + 50))

  it('gives the shift back onto the reference', () => {
    // crop(p) = ref(p + (0.1, −0.05)): the reference's content sits at p − that
    const crop = cropOf(size, (u, v) => texture(u + 50.1, v + 49.95))
    const [du, dv, dTurn] = euclideanStep(crop, reference, size)
    expect(du).toBeCloseTo(-0.1, 2)
    expect(dv).toBeCloseTo(0.05, 2)
    expect(Math.abs(dTurn)).toBeLessThan(1e-4)
  })

  it('gives the turn back onto the reference, its Jacobian (−v, u)', () => {
    // crop(p) = ref(R(0.01)·p): turning the crop's points back by −0.01 rad gives ref
    const a = 0.01
    const turned = (u: number, v: number) =>
      texture(Math.cos(a) * u - Math.sin(a) * v + 50, Math.sin(a) * u + Math.cos(a) * v + 50)
    const [du, dv, dTurn] = euclideanStep(cropOf(size, turned), reference, size)
    // to first order: the central-difference gradient and the neglected terms cost about 1%
    expect(Math.abs(dTurn + a)).toBeLessThan(0.02 * a)
    expect(Math.hypot(du, dv)).toBeLessThan(0.01)
  })

  it('gives no step where the crop cannot fix all three: stripes say nothing of v', () => {
    const stripes = (u: number) => 128 + 60 * Math.sin(u * 0.4)
    const crop = cropOf(size, (u) => stripes(u + 0.3))
    expect(euclideanStep(crop, cropOf(size, stripes), size)).toEqual([0, 0, 0])
  })
})

describe('FaceTracker', () => {
  it('recovers a 3° roll and a shift, frame by frame, and levels the crop again', () => {
    const tracker = new FaceTracker(BOX, 40)
    const reference = Float32Array.from(tracker.next(frame(0, 0, 0)))
    for (let i = 1; i <= 3; i++) tracker.next(frame(i, 0.5 * i, -0.4 * i))
    expect(tracker.roll).toBeCloseTo(3, 1)
    expect(Math.abs(tracker.roll - 3)).toBeLessThan(0.05)
    expect(Math.abs(tracker.shift.x - 1.5)).toBeLessThan(0.05)
    expect(Math.abs(tracker.shift.y + 1.2)).toBeLessThan(0.05)
    expect(tracker.current).toEqual({
      x: BOX.x + tracker.shift.x,
      y: BOX.y + tracker.shift.y,
      side: BOX.side,
      angle: tracker.roll,
    })
    const followed = meanAbsolute(tracker.crop, reference)
    // The upright box at the right place leaves the roll in: the test tells the two apart.
    const upright = new FaceTracker({ ...tracker.current, angle: 0 }, 40)
    const unturned = meanAbsolute(upright.next(frame(3, 1.5, -1.2)), reference)
    expect(followed).toBeLessThan(0.5)
    expect(unturned).toBeGreaterThan(10 * followed)
  })

  it('recovers a 3° roll met in one frame', () => {
    const tracker = new FaceTracker(BOX, 40)
    tracker.next(frame(0, 0, 0))
    tracker.next(frame(-3, 1, 0.5))
    expect(Math.abs(tracker.roll + 3)).toBeLessThan(0.05)
    expect(Math.abs(tracker.shift.x - 1)).toBeLessThan(0.05)
    expect(Math.abs(tracker.shift.y - 0.5)).toBeLessThan(0.05)
  })

  it('finds no roll in a pure translation', () => {
    const tracker = new FaceTracker(BOX, 40)
    tracker.next(frame(0, 0, 0))
    for (let i = 1; i <= 4; i++) tracker.next(frame(0, 0.6 * i, 0.3 * i))
    expect(Math.abs(tracker.roll)).toBeLessThan(0.02)
    expect(Math.abs(tracker.shift.x - 2.4)).toBeLessThan(0.05)
    expect(Math.abs(tracker.shift.y - 1.2)).toBeLessThan(0.05)
  })

  it('adds the roll to a start box turned to level the eyes', () => {
    // The texture seen through a box turned by 10°, then rolled 2° further
    const turned = { ...BOX, angle: 10 }
    const tracker = new FaceTracker(turned, 40)
    tracker.next(frame(0, 0, 0))
    tracker.next(frame(1, 0.2, 0.1))
    tracker.next(frame(2, 0.4, 0.2))
    expect(Math.abs(tracker.roll - 2)).toBeLessThan(0.05)
    expect(tracker.current.angle).toBeCloseTo(12, 1)
    expect(Math.abs(tracker.shift.x - 0.4)).toBeLessThan(0.05)
  })

  it('stays put on a flat frame, where nothing can be tracked', () => {
    const flat = { width: WIDTH, height: HEIGHT, data: new Uint8Array(WIDTH * HEIGHT).fill(90) }
    const tracker = new FaceTracker(BOX, 40)
    tracker.next(flat)
    tracker.next(flat)
    expect([tracker.shift.x, tracker.shift.y, tracker.roll]).toEqual([0, 0, 0])
  })
})

describe('FaceTrack', () => {
  it('keeps every frame’s box, past its first allocation, and refuses frames not tracked', () => {
    const track = new FaceTrack(90)
    for (let i = 0; i < 3000; i++) track.push({ x: i, y: -i / 2, side: 90, angle: i / 1000 })
    expect(track.frames).toBe(3000)
    expect(track.boxAt(0)).toEqual({ x: 0, y: -0, side: 90, angle: 0 })
    expect(track.boxAt(2999)).toEqual({ x: 2999, y: -1499.5, side: 90, angle: 2.999 })
    expect(() => track.boxAt(3000)).toThrow(RangeError)
    expect(() => track.boxAt(-1)).toThrow(RangeError)
    expect(() => track.boxAt(1.5)).toThrow(RangeError)
  })

  it('gives a box as the face crop clips store: the square turned by its angle', () => {
    expect(cropBoxOf({ x: 3, y: 4, side: 50, angle: -2.5 })).toEqual({
      x: 3,
      y: 4,
      width: 50,
      height: 50,
      angle: -2.5,
    })
  })
})
