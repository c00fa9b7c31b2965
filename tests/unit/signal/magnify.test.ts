import { describe, expect, it } from 'vitest'
import { AppError } from '../../../src/shared/errors'
import {
  createMagnifier,
  levelGains,
  magnifyClip,
  type Clip,
  type StreamingFilter,
} from '../../../src/engine/signal'
import { RGB_TO_YIQ, YIQ_TO_RGB, transformPlanes } from '../../../src/engine/signal/colour'
import {
  allocatePyramid,
  buildLaplacian,
  collapseLaplacian,
  pyramidLevelCount,
  pyramidScratchLength,
  pyramidSizes,
} from '../../../src/engine/signal/pyramid'
import { butterworthLowPass } from '../../../src/engine/signal/temporal'
import { syntheticClip, type MovingRegion } from './synthetic-clip'

/**
 * The MIT pipeline in its own order, at full resolution: YIQ frame, full Laplacian pyramid,
 * temporal filter on every level, gains, chrominance attenuation, collapse, add, RGB, clip.
 */
function referenceMagnify(clip: Clip, channels: 1 | 3, filter: StreamingFilter): Float32Array[] {
  const { width, height } = clip
  const levels = pyramidLevelCount(width, height)
  const sizes = pyramidSizes(width, height, levels)
  const gains = levelGains(width, height, levels, 10, 16)
  const scratch = new Float64Array(pyramidScratchLength(width, height))
  const pyramids = Array.from({ length: channels }, () => allocatePyramid(sizes))
  const lp1 = pyramids.map((p) => allocatePyramid(sizes.slice(0, p.length)))
  const lp2 = pyramids.map((p) => allocatePyramid(sizes.slice(0, p.length)))
  const previous = pyramids.map((p) => allocatePyramid(sizes.slice(0, p.length)))
  const high = filter.kind === 'butterworth' ? butterworthLowPass(filter.highHz, filter.fps) : null
  const low = filter.kind === 'butterworth' ? butterworthLowPass(filter.lowHz, filter.fps) : null
  const pixels = width * height
  return clip.frames.map((frame, t) => {
    const planes = Array.from({ length: channels }, (_, c) =>
      Float64Array.from({ length: pixels }, (_, p) => frame[p * channels + c]),
    )
    if (channels === 3) transformPlanes(RGB_TO_YIQ, planes[0], planes[1], planes[2])
    for (let c = 0; c < channels; c++) {
      pyramids[c][0].set(planes[c])
      buildLaplacian(pyramids[c], sizes, scratch)
      for (let l = 0; l < levels; l++) {
        const x = pyramids[c][l]
        for (let i = 0; i < x.length; i++) {
          if (t === 0) {
            lp1[c][l][i] = lp2[c][l][i] = previous[c][l][i] = x[i]
            x[i] = 0
            continue
          }
          if (high !== null && low !== null) {
            lp1[c][l][i] = high.b0 * x[i] + high.b1 * previous[c][l][i] - high.a1 * lp1[c][l][i]
            lp2[c][l][i] = low.b0 * x[i] + low.b1 * previous[c][l][i] - low.a1 * lp2[c][l][i]
            previous[c][l][i] = x[i]
          } else if (filter.kind === 'iir') {
            lp1[c][l][i] = (1 - filter.r1) * lp1[c][l][i] + filter.r1 * x[i]
            lp2[c][l][i] = (1 - filter.r2) * lp2[c][l][i] + filter.r2 * x[i]
          }
          x[i] = gains[l] * (lp1[c][l][i] - lp2[c][l][i])
        }
      }
      collapseLaplacian(pyramids[c], sizes, scratch)
      const attenuation = channels === 3 && c > 0 ? 0.1 : 1
      for (let p = 0; p < pixels; p++) planes[c][p] += attenuation * pyramids[c][0][p]
    }
    if (channels === 3) transformPlanes(YIQ_TO_RGB, planes[0], planes[1], planes[2])
    const out = new Float32Array(frame.length)
    for (let p = 0; p < pixels; p++) {
      for (let c = 0; c < channels; c++)
        out[p * channels + c] = Math.min(1, Math.max(0, planes[c][p]))
    }
    return out
  })
}

function maxDifference(a: Float32Array[], b: Float32Array[]): number {
  let worst = 0
  a.forEach((frame, t) => {
    for (let i = 0; i < frame.length; i++) worst = Math.max(worst, Math.abs(frame[i] - b[t][i]))
  })
  return worst
}

/** Whether two frames hold exactly the same values (faster than toEqual on typed arrays). */
function same(a: Float32Array, b: Float32Array): boolean {
  return a.length === b.length && maxDifference([a], [b]) === 0
}

/** Indices of the values (all channels) of the pixels `inside` selects. */
function selectValues(
  width: number,
  height: number,
  channels: number,
  inside: (x: number, y: number) => boolean,
): number[] {
  const values: number[] = []
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < channels && inside(x, y); c++) values.push((y * width + x) * channels + c)
    }
  }
  return values
}

/** Mean squared change from frame 0 over the selected values. */
function changeEnergy(clip: Clip, values: readonly number[]): number {
  let sum = 0
  for (const frame of clip.frames.slice(1)) {
    for (const i of values) sum += (frame[i] - clip.frames[0][i]) ** 2
  }
  return sum / (values.length * (clip.frames.length - 1))
}

const brow: MovingRegion = { x: 38, y: 51, radius: 20 }
/** A micro-expression-like raise: 0 → 0.15 px → 0 over 40 frames (200 ms at 200 fps). */
const pulse = (t: number): number =>
  t >= 20 && t <= 60 ? 0.15 * Math.sin((Math.PI * (t - 20)) / 40) ** 2 : 0

describe('levelGains', () => {
  it('gives the hand-computed schedule for 256×256', () => {
    // λ = √2·256/3 at the coarsest level; δ = 16/8/11; gain = min(10, 2(λ/δ/8 − 1))
    // level 1: λ = √2·8/3 → 2(11√2/6 − 1) = 3.18545; level 2: 2(11√2/3 − 1) = 8.37090
    const gains = levelGains(256, 256, 7, 10, 16)
    const expected = [0, 3.18545, 8.3709, 10, 10, 10, 0]
    expected.forEach((g, l) => expect(gains[l]).toBeCloseTo(g, 4))
  })

  it('gives the hand-computed schedule for 640×480', () => {
    // λ = 800/3 at level 7; level 2: λ = 25/3 → 2(25/3·11/16 − 1) = 9.458333
    const gains = levelGains(640, 480, 8, 10, 16)
    const expected = [0, 3.729167, 9.458333, 10, 10, 10, 10, 0]
    expected.forEach((g, l) => expect(gains[l]).toBeCloseTo(g, 5))
  })

  it('keeps the reference formula as is, negative for a large lambdaC', () => {
    // δ = 80/88; level 1: λ = √2·8/3 → 2(λ/δ/8 − 1) = −0.96296
    expect(levelGains(256, 256, 7, 10, 80)[1]).toBeCloseTo(-0.96296, 4)
  })
})

describe('magnifyClip', () => {
  it('equals the MIT-order reference (RGB, odd size, IIR)', () => {
    const clip = syntheticClip({
      width: 45,
      height: 38,
      frames: 10,
      region: { x: 20, y: 15, radius: 12 },
      motion: (t) => 0.3 * Math.sin(t),
    })
    const filter: StreamingFilter = { kind: 'iir', r1: 0.4, r2: 0.05 }
    const ours = magnifyClip(clip).frames
    expect(maxDifference(ours, clip.frames)).toBeGreaterThan(0.01)
    expect(maxDifference(ours, referenceMagnify(clip, 3, filter))).toBeLessThan(1e-5)
  })

  it('equals the MIT-order reference (grey, Butterworth)', () => {
    const clip = syntheticClip({
      width: 40,
      height: 33,
      frames: 10,
      channels: 1,
      region: { x: 20, y: 15, radius: 12 },
      motion: (t) => 0.3 * Math.sin(t),
    })
    const filter: StreamingFilter = { kind: 'butterworth', lowHz: 5, highHz: 40, fps: 200 }
    const ours = magnifyClip(clip, { filter }).frames
    expect(maxDifference(ours, clip.frames)).toBeGreaterThan(0.01)
    expect(maxDifference(ours, referenceMagnify(clip, 1, filter))).toBeLessThan(1e-5)
  })

  it('amplifies subtle motion in the moving region and leaves static regions at noise level', () => {
    const clip = syntheticClip({
      width: 128,
      height: 128,
      frames: 80,
      noise: 0.002,
      region: brow,
      motion: pulse,
    })
    const inside = selectValues(128, 128, 3, (x, y) => (x - brow.x) ** 2 + (y - brow.y) ** 2 < 100)
    const far = selectValues(128, 128, 3, (x, y) => (x - brow.x) ** 2 + (y - brow.y) ** 2 > 60 ** 2)
    const noise = 2 * 0.002 ** 2
    const before = changeEnergy(clip, inside)
    for (const filter of [
      undefined,
      { kind: 'butterworth', lowHz: 1, highHz: 20, fps: 200 } as const,
      { kind: 'ideal', lowHz: 1, highHz: 20, fps: 200, level: 2 } as const,
    ]) {
      const magnified = magnifyClip(clip, filter === undefined ? {} : { filter })
      // Motion energy above the noise floor grows 6.4× (IIR), 8.4× (Butterworth), 10.6× (ideal)
      expect((changeEnergy(magnified, inside) - noise) / (before - noise)).toBeGreaterThan(5)
      // … while far from the region the change stays the noise.
      expect(changeEnergy(magnified, far)).toBeLessThan(1.3 * noise)
      expect(changeEnergy(clip, far)).toBeCloseTo(noise, 6)
    }
  })

  it('multiplies the displacement of a translating grating as the gain schedule says', () => {
    // Grey grating 0.5 + 0.2·sin(2π(x − d(t))/λ), d a 0.05 px sinusoid at the IIR peak (5.19 Hz).
    const displacement = (frame: Float32Array, wavelength: number): number => {
      let s = 0
      let c = 0
      for (let x = 0; x < 128; x++) {
        s += (frame[64 * 128 + x] - 0.5) * Math.sin((2 * Math.PI * x) / wavelength)
        c += (frame[64 * 128 + x] - 0.5) * Math.cos((2 * Math.PI * x) / wavelength)
      }
      return (Math.atan2(c, s) * wavelength) / (2 * Math.PI)
    }
    const amplification = (wavelength: number): number => {
      const shift = (t: number): number => 0.05 * Math.sin((2 * Math.PI * 5.19 * t) / 200)
      const frames = Array.from({ length: 120 }, (_, t) => {
        const frame = new Float32Array(128 * 128)
        for (let p = 0; p < frame.length; p++) {
          frame[p] = 0.5 + 0.2 * Math.sin((2 * Math.PI * ((p % 128) - shift(t))) / wavelength)
        }
        return frame
      })
      const out = magnifyClip({ width: 128, height: 128, frames }).frames
      let before = 0
      let after = 0
      for (let t = 80; t < 120; t++) {
        before = Math.max(before, Math.abs(displacement(frames[t], wavelength)))
        after = Math.max(after, Math.abs(displacement(out[t], wavelength)))
      }
      return after / before
    }
    // At most 1 + alpha·(peak gain 0.817) = 9.17 where the level gains reach alpha; less for
    // short wavelengths, whose levels the lambdaC schedule attenuates.
    const long = amplification(64)
    expect(long).toBeGreaterThan(7.5)
    expect(long).toBeLessThan(9.2)
    const short = amplification(8)
    expect(short).toBeGreaterThan(2)
    expect(short).toBeLessThan(3.5)
  })

  it.each([1, 2, 3])(
    'amplifies an in-band sinusoid by 1 + alpha with the ideal filter on level %i, and only that',
    (level) => {
      const frames = Array.from({ length: 40 }, (_, t) =>
        new Float32Array(32 * 32).fill(
          0.5 +
            0.01 * Math.sin((2 * Math.PI * 5 * t) / 40) +
            0.01 * Math.sin((2 * Math.PI * 15 * t) / 40),
        ),
      )
      const out = magnifyClip(
        { width: 32, height: 32, frames },
        { filter: { kind: 'ideal', lowHz: 3, highHz: 8, fps: 40, level } },
      )
      out.frames.forEach((frame, t) => {
        const expected =
          0.5 +
          0.11 * Math.sin((2 * Math.PI * 5 * t) / 40) +
          0.01 * Math.sin((2 * Math.PI * 15 * t) / 40)
        expect(frame[0]).toBeCloseTo(expected, 6)
        expect(frame[32 * 32 - 1]).toBeCloseTo(expected, 6)
      })
    },
  )

  it('clips to [0, 1]', () => {
    const clip = syntheticClip({
      width: 64,
      height: 64,
      frames: 12,
      region: { x: 32, y: 32, radius: 30 },
      motion: (t) => 2 * (t % 2),
    })
    for (const frame of magnifyClip(clip, { alpha: 50, lambdaC: 1 }).frames) {
      expect(Math.min(...frame)).toBeGreaterThanOrEqual(0)
      expect(Math.max(...frame)).toBeLessThanOrEqual(1)
    }
  })

  it('rejects bad parameters and frames with AppErrors', () => {
    const clip = syntheticClip({ width: 16, height: 16, frames: 2, region: brow, motion: () => 0 })
    const bad = [
      () => magnifyClip(clip, { alpha: -1 }),
      () => magnifyClip(clip, { filter: { kind: 'iir', r1: 1.5, r2: 0.05 } }),
      () => magnifyClip(clip, { filter: { kind: 'butterworth', lowHz: 1, highHz: 100, fps: 200 } }),
      () =>
        magnifyClip(clip, { filter: { kind: 'ideal', lowHz: 5, highHz: 3, fps: 200, level: 1 } }),
      () =>
        magnifyClip(clip, { filter: { kind: 'ideal', lowHz: 1, highHz: 3, fps: 200, level: 3 } }),
      () => magnifyClip({ ...clip, frames: [clip.frames[0], new Float32Array(5)] }),
      () => magnifyClip({ ...clip, frames: [] }),
    ]
    expect(bad[0]).toThrow('alpha must be a number ≥ 0, got -1')
    expect(bad[2]).toThrow('filter.highHz must lie above lowHz (1) and below fps/2 (100), got 100')
    for (const call of bad) {
      expect(call).toThrow(AppError)
      try {
        call()
      } catch (error) {
        expect((error as AppError).code).toBe('invalid_input')
      }
    }
  })
})

describe('createMagnifier', () => {
  const clip = syntheticClip({
    width: 48,
    height: 40,
    frames: 12,
    region: { x: 24, y: 20, radius: 12 },
    motion: (t) => 0.3 * Math.sin(t),
  })

  it('streams the same frames as magnifyClip, in place if asked, frame 0 unchanged', () => {
    const magnifier = createMagnifier(48, 40, 3)
    const whole = magnifyClip(clip).frames
    clip.frames.forEach((frame, t) => {
      const copy = frame.slice()
      const out = magnifier.push(copy, copy)
      expect(out).toBe(copy)
      expect(same(out, whole[t])).toBe(true)
    })
    expect(same(whole[0], clip.frames[0])).toBe(true)
  })

  it('starts a new clip after reset', () => {
    const magnifier = createMagnifier(48, 40, 3)
    magnifier.push(clip.frames[0])
    magnifier.push(clip.frames[1])
    magnifier.reset()
    expect(same(magnifier.push(clip.frames[5]), clip.frames[5])).toBe(true)
    expect(same(magnifier.push(clip.frames[6]), clip.frames[6])).toBe(false)
  })

  it('leaves a static clip unchanged', () => {
    const magnifier = createMagnifier(48, 40, 3)
    for (let t = 0; t < 5; t++)
      expect(same(magnifier.push(clip.frames[0]), clip.frames[0])).toBe(true)
  })

  it('passes frames too small for a pyramid through', () => {
    const magnifier = createMagnifier(4, 4, 1)
    expect(Array.from(magnifier.gains)).toEqual([0])
    const frame = Float32Array.from({ length: 16 }, (_, i) => i / 16)
    magnifier.push(new Float32Array(16))
    expect(same(magnifier.push(frame), frame)).toBe(true)
  })

  it('refuses the ideal filter and frames of the wrong size', () => {
    expect(() =>
      createMagnifier(48, 40, 3, {
        filter: {
          kind: 'ideal',
          lowHz: 1,
          highHz: 3,
          fps: 200,
          level: 1,
        } as unknown as StreamingFilter,
      }),
    ).toThrow(AppError)
    expect(() => createMagnifier(48, 40, 3).push(new Float32Array(48 * 40))).toThrow(AppError)
  })
})
