import { describe, expect, it } from 'vitest'
import {
  blockDifference,
  boxBlur3,
  referenceContrast,
  topBlocks,
} from '../../../src/engine/signal/spotting/block-difference'
import { FaceTracker } from '../../../src/engine/signal/spotting/face-tracker'
import { centredFace, eyeBlocks } from '../../../src/engine/signal/spotting/spot-video'
import { FeatureCurveBuilder } from '../../../src/engine/signal/spotting/feature-curves'
import {
  contrastCurve,
  distinctExtents,
  eventExtent,
  pickPeaks,
  backgroundScores,
  backgroundSpread,
  robustSpread,
  spotIntervals,
} from '../../../src/engine/signal/spotting/intervals'
import { DEFAULT_SPOTTING, spottingFrames } from '../../../src/engine/signal/spotting/settings'

describe('block differences', () => {
  it('averages the squared difference to the mean reference per block', () => {
    // side 4, grid 1: the inner 2×2 block; current 3, references 1 and 1 → (3 − 1)² = 4
    const current = new Float32Array(16).fill(3)
    const ref = new Float32Array(16).fill(1)
    expect(Array.from(blockDifference(current, ref, ref, 4, 1, new Float32Array(1)))).toEqual([4])
    // references 1 and 5: mean 3 → 0
    const other = new Float32Array(16).fill(5)
    expect(blockDifference(current, ref, other, 4, 1, new Float32Array(1))[0]).toBe(0)
  })

  it('keeps the mean of a box blur and leaves the border', () => {
    const crop = new Float32Array(25)
    crop[12] = 9
    const out = boxBlur3(crop, 5, new Float32Array(25))
    expect(out[12]).toBe(1)
    expect(out[6]).toBe(1)
    expect(out[0]).toBe(0)
  })

  it('takes the mean of the largest blocks and their share in the eye row', () => {
    const top = topBlocks(Float32Array.from([4, 1, 3, 2]), 2, new Set([2]), new Uint16Array(4))
    expect(top.value).toBe(3.5)
    expect(top.eyeShare).toBeCloseTo(3 / 7)
    expect(top.eyeChange).toBe(0)
  })

  it('measures how much of the eye blocks’ own texture changed', () => {
    // largest blocks 0 and 2; block 2 is an eye block: difference 3 over variance 12
    const contrast = Float32Array.from([1, 1, 12, 1])
    const differences = Float32Array.from([4, 1, 3, 2])
    const top = topBlocks(differences, 2, new Set([2, 3]), new Uint16Array(4), contrast)
    expect(top.eyeChange).toBeCloseTo(0.25)
  })

  it('gives the variance of the mean reference per block', () => {
    // side 4, grid 1: inner pixels 5, 6, 9, 10; references [0, 2, 0, 2] and the same → var 1
    const reference = new Float32Array(16)
    reference[6] = reference[10] = 2
    const out = referenceContrast(reference, reference, 4, 1, new Float32Array(1))
    expect(out[0]).toBe(1)
  })
})

describe('contrast, peaks and extents', () => {
  it('gives Moilanen contrast with clamped neighbours', () => {
    expect(Array.from(contrastCurve(Float32Array.from([0, 0, 4, 0, 0]), 2))).toEqual([
      -2, 0, 4, 0, -2,
    ])
  })

  it('scores values in robust deviations from the median', () => {
    // median 1, |v − 1| = [1, 0, 0, 1, 9] → MAD 1: 10 lies beyond 3 · 1.4826 and is left out;
    // the rest [0, 1, 1, 2] has median 1 and MAD 0.5, so σ = 1.4826 · 0.5
    const scores = backgroundScores(Float32Array.from([0, 1, 1, 2, 10]))
    expect(scores[4]).toBeCloseTo(9 / (1.4826 * 0.5))
    expect(scores[1]).toBe(0)
  })

  it('measures the noise off the movements by clipping them until it settles', () => {
    const values = Float32Array.from([0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 50, 60])
    expect(robustSpread(values)).toEqual({ median: 1, mad: 1 })
    expect(backgroundSpread(values)).toEqual({ median: 0.5, mad: 0.5 })
  })

  it('keeps the strongest peak of a neighbourhood', () => {
    const s = Float32Array.from([0, 5, 0, 7, 0, 0, 0, 0, 6, 0])
    expect(pickPeaks(s, 4, 3)).toEqual([3, 8])
    expect(pickPeaks(s, 6.5, 3)).toEqual([3])
  })

  it('finds the apex and where the curve falls to a share of its height', () => {
    const far = Float32Array.from([1, 1, 1, 2, 5, 11, 6, 3, 1, 1])
    // floor 1, height 10, fraction 0.15 → level 2.5: frames 4..7
    expect(eventExtent(far, 4, 3, 1, 0.15)).toEqual({ onset: 4, apex: 5, offset: 7 })
  })
})

/** A still face (wobble of ±0.1) with a bump of `height` over ±`half` frames at `centre`. */
function stillCurves(n: number) {
  const curves = {
    near: new Float32Array(n),
    far: new Float32Array(n),
    net: new Float32Array(n),
    eye: new Float32Array(n),
    eyeChange: new Float32Array(n),
  }
  for (let t = 0; t < n; t++) {
    curves.near[t] = curves.far[t] = curves.net[t] = 1 + 0.1 * Math.sin(t * 1.7)
  }
  const bump = (centre: number, half: number, height: number, eyeShare: number, change = 0) => {
    for (let t = centre - half; t <= centre + half; t++) {
      const h = height * (1 - Math.abs(t - centre) / (half + 1))
      curves.near[t] += h
      curves.far[t] += h
      curves.eye[t] = eyeShare
      curves.eyeChange[t] = change
    }
  }
  return { curves, bump }
}

/** Curves of a still face with a short bump (returns) and a held step (does not). */
function plantedCurves() {
  const { curves, bump } = stillCurves(2000)
  bump(500, 10, 20, 0.1) // a micro-expression: 21 frames at 100 fps
  bump(900, 8, 200, 0.99, 0.9) // a blink: the lid covers the eye
  bump(1700, 10, 20, 0.99, 0.03) // a lid tightener: in the eye row, the lid moves a pixel
  bump(1300, 12, 15, 0.2) // an edge of a held expression: net stays high
  for (let t = 1255; t <= 1345; t++) curves.net[t] += 30
  return curves
}

describe('spotIntervals', () => {
  it('keeps the micro-expressions, drops the blink and makes the edge macro', () => {
    const frames = spottingFrames(DEFAULT_SPOTTING, 100)
    const spotted = spotIntervals(plantedCurves(), DEFAULT_SPOTTING, frames)
    expect(spotted.map((s) => [s.kind, s.apex])).toEqual([
      ['micro', 500],
      ['macro', 1300],
      ['micro', 1700],
    ])
    expect(spotted[0].apex).toBe(500)
    expect(spotted[0].onset).toBeGreaterThanOrEqual(489)
    expect(spotted[0].offset).toBeLessThanOrEqual(511)
    expect(spotted[0].score).toBeGreaterThan(DEFAULT_SPOTTING.threshold)
  })

  it('gives one interval for one movement that two peaks lead to', () => {
    // near peaks at 480 and 560 (more than k = 30 apart); far has one movement at 520
    const { curves } = stillCurves(2000)
    for (const centre of [480, 560]) {
      for (let t = centre - 5; t <= centre + 5; t++) curves.near[t] += 20 - 3 * Math.abs(t - centre)
    }
    for (let t = 505; t <= 535; t++) curves.far[t] += 30 - 2 * Math.abs(t - 520)
    const frames = spottingFrames(DEFAULT_SPOTTING, 100)
    const spotted = spotIntervals(curves, DEFAULT_SPOTTING, frames)
    expect(spotted.map((s) => [s.kind, s.apex])).toEqual([['micro', 520]])
    // Both peaks lead to it; it keeps the higher of their scores.
    const scores = backgroundScores(contrastCurve(curves.near, frames.k))
    const peaks = pickPeaks(scores, DEFAULT_SPOTTING.threshold, frames.k)
    expect(peaks).toHaveLength(2)
    expect(spotted[0].score).toBe(Math.max(...peaks.map((p) => scores[p])))
  })

  it('finds a weak micro-expression among frequent blinks: noise is measured off movements', () => {
    // 30 s at 100 fps, a blink every 0.6 s but for a quiet stretch around 15 s where a
    // micro-expression 30× the still face's wobble but 1/60 of a blink happens. Blinks and
    // their side lobes at ±k cover over half the frames, so the MAD of the whole contrast is
    // the blinks' (the micro-expression scored 0.8 against it).
    const { curves, bump } = stillCurves(3000)
    for (let centre = 100; centre < 2950; centre += 60) {
      if (Math.abs(centre - 1500) > 150) bump(centre, 8, 200, 0.99, 0.9)
    }
    bump(1500, 10, 3, 0.1)
    const frames = spottingFrames(DEFAULT_SPOTTING, 100)
    const spotted = spotIntervals(curves, DEFAULT_SPOTTING, frames)
    expect(spotted.map((s) => [s.kind, s.apex])).toEqual([['micro', 1500]])
  })
})

describe('FeatureCurveBuilder', () => {
  it('computes every frame, streaming with a ring of 2L + 1 crops', () => {
    const side = 10
    const builder = new FeatureCurveBuilder(side, 2, 1, 2, 4, new Set([0, 1]))
    for (let t = 0; t < 40; t++) {
      // a vertical stripe texture, so the blocks have a variance of their own
      const crop = Float32Array.from({ length: side * side }, (_, p) => (p % 2 ? 90 : 110))
      // frames 20..21 change the top-left block only
      if (t === 20 || t === 21)
        for (let y = 1; y < 5; y++) crop.fill(140, y * side + 1, y * side + 5)
      builder.push(crop)
    }
    const curves = builder.finish()
    expect(curves.near.length).toBe(40)
    expect(curves.near[10]).toBe(0)
    expect(curves.near[20]).toBeGreaterThan(0)
    // the changed block is in the eye row's set
    expect(curves.eye[20]).toBe(1)
    // the block's stripes replaced by a flat 140: a change of order one of their variance
    expect(curves.eyeChange[20]).toBeGreaterThan(0.5)
    expect(curves.eyeChange[10]).toBe(0)
    // 20 against 16 and 24 (both still) and frames 16 vs 24 (still): net 0
    expect(curves.net[20]).toBe(0)
    expect(curves.far[20]).toBeGreaterThan(0)
  })
})

describe('FaceTracker', () => {
  it('follows a translated texture to within a tenth of a pixel', () => {
    const width = 120
    const height = 100
    const texture = (x: number, y: number) =>
      128 + 50 * Math.sin(x * 0.31) * Math.cos(y * 0.23) + 30 * Math.sin((x + y) * 0.11)
    const frame = (dx: number, dy: number) => {
      const data = new Uint8Array(width * height)
      for (let y = 0; y < height; y++)
        for (let x = 0; x < width; x++) data[y * width + x] = Math.round(texture(x - dx, y - dy))
      return { width, height, data }
    }
    const tracker = new FaceTracker({ x: 30, y: 20, side: 60, angle: 0 }, 30)
    tracker.next(frame(0, 0))
    tracker.next(frame(0.8, -0.5))
    tracker.next(frame(1.6, -1.0))
    expect(tracker.shift.x).toBeCloseTo(1.6, 1)
    expect(tracker.shift.y).toBeCloseTo(-1.0, 1)
  })
})

describe('eye band and the centred face', () => {
  it('takes the block rows within ±0.05 of the eye line', () => {
    // grid 12: rows of 1/12 ≈ 0.083; eye line 0.33 → 0.28..0.38 → rows 3 and 4
    const blocks = [...eyeBlocks(0.33, 12)]
    expect(blocks).toHaveLength(24)
    expect(Math.min(...blocks)).toBe(36)
    expect(Math.max(...blocks)).toBe(59)
  })

  it('assumes the centred square of 85% of the shorter side', () => {
    expect(centredFace(640, 480)).toEqual({
      box: { x: 116, y: 36, side: 408, angle: 0 },
      eyeLevel: 0.4,
    })
  })
})

describe('distinctExtents', () => {
  it('keeps one interval per onset and offset, the highest score, in onset order', () => {
    const at = (
      onset: number,
      apex: number,
      offset: number,
      score: number,
      kind: 'micro' | 'macro',
    ) => ({
      onset,
      apex,
      offset,
      score,
      kind,
    })
    const kept = distinctExtents([
      at(50, 60, 70, 8, 'micro'),
      at(10, 14, 20, 7, 'micro'),
      at(50, 64, 70, 9, 'micro'),
      at(50, 55, 70, 6, 'macro'),
      at(10, 12, 25, 6, 'micro'),
    ])
    expect(kept).toEqual([
      at(10, 14, 20, 7, 'micro'),
      at(10, 12, 25, 6, 'micro'),
      at(50, 64, 70, 9, 'micro'),
    ])
  })

  it('removes the peaks that lead to one apex, since the extent follows from the apex alone', () => {
    const far = Float32Array.from([1, 1, 1, 2, 5, 11, 6, 3, 1, 1])
    // Peaks at 3 and 7 both climb to the apex at 5 and so to the same extent 4..7.
    const fromLeft = eventExtent(far, 3, 3, 1, 0.15)
    const fromRight = eventExtent(far, 7, 3, 1, 0.15)
    expect(fromLeft).toEqual({ onset: 4, apex: 5, offset: 7 })
    expect(fromRight).toEqual(fromLeft)
    const kept = distinctExtents([
      { ...fromLeft, score: 5, kind: 'micro' },
      { ...fromRight, score: 7, kind: 'micro' },
    ])
    expect(kept).toEqual([{ onset: 4, apex: 5, offset: 7, score: 7, kind: 'micro' }])
  })

  it('keeps the first of equal scores, and a micro- inside a macro-expression at the same apex', () => {
    const kept = distinctExtents([
      { onset: 100, apex: 130, offset: 160, score: 8, kind: 'macro' },
      { onset: 120, apex: 130, offset: 140, score: 6, kind: 'micro' },
      { onset: 120, apex: 131, offset: 140, score: 6, kind: 'macro' },
      { onset: 300, apex: 310, offset: 320, score: 5, kind: 'micro' },
      { onset: 300, apex: 312, offset: 320, score: 9, kind: 'macro' },
    ])
    expect(kept).toEqual([
      { onset: 100, apex: 130, offset: 160, score: 8, kind: 'macro' },
      { onset: 120, apex: 130, offset: 140, score: 6, kind: 'micro' },
      { onset: 300, apex: 312, offset: 320, score: 9, kind: 'macro' },
    ])
  })
})
