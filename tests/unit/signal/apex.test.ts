import { describe, expect, it } from 'vitest'
import { AppError } from '../../../src/shared/errors'
import { spotApex, type Clip } from '../../../src/engine/signal'
import { lbpCodes } from '../../../src/engine/signal/lbp'
import { random, syntheticClip } from './synthetic-clip'

/**
 * The method written out with no shortcut: for every frame the padded window cube of each
 * block, its 3D DFT by the textbook sum, MATLAB's fftshift offsets, the spherical high-pass
 * with axes stretched to the window length, and the sum of the kept magnitudes.
 */
function naiveScores(clip: Clip, windowLength: number, grid: number, radius: number): number[] {
  const codes = clip.frames.map((f) => lbpCodes(f, clip.width, clip.height))
  const width = clip.width - 2
  const height = clip.height - 2
  const half = (windowLength - 1) / 2
  const count = clip.frames.length
  const shifted = (k: number, n: number): number =>
    ((k + Math.floor(n / 2)) % n) - Math.floor(n / 2)
  return clip.frames.map((_, centre) => {
    let score = 0
    for (let by = 0; by < grid; by++) {
      for (let bx = 0; bx < grid; bx++) {
        const y0 = Math.floor((by * height) / grid)
        const x0 = Math.floor((bx * width) / grid)
        const bh = Math.floor(((by + 1) * height) / grid) - y0
        const bw = Math.floor(((bx + 1) * width) / grid) - x0
        for (let kt = 0; kt < windowLength; kt++) {
          for (let ky = 0; ky < bh; ky++) {
            for (let kx = 0; kx < bw; kx++) {
              const d2 =
                shifted(kt, windowLength) ** 2 +
                ((shifted(ky, bh) * windowLength) / bh) ** 2 +
                ((shifted(kx, bw) * windowLength) / bw) ** 2
              if (d2 < radius * radius) continue
              let re = 0
              let im = 0
              for (let t = 0; t < windowLength; t++) {
                const frame = codes[Math.min(count - 1, Math.max(0, centre - half + t))]
                for (let y = 0; y < bh; y++) {
                  for (let x = 0; x < bw; x++) {
                    const angle =
                      -2 * Math.PI * ((kt * t) / windowLength + (ky * y) / bh + (kx * x) / bw)
                    const v = frame[(y0 + y) * width + x0 + x]
                    re += v * Math.cos(angle)
                    im += v * Math.sin(angle)
                  }
                }
              }
              score += Math.hypot(re, im)
            }
          }
        }
      }
    }
    return score
  })
}

function noiseClip(width: number, height: number, frames: number, seed: number): Clip {
  const next = random(seed)
  return {
    width,
    height,
    frames: Array.from({ length: frames }, () =>
      Float32Array.from({ length: width * height }, next),
    ),
  }
}

describe('lbpCodes', () => {
  it('codes the worked 3×3 patch', () => {
    // centre 6: top 9 (2), right 7 (8) and bottom 6 (32, ties count) are >= 6
    const codes = lbpCodes(Float32Array.from([5, 9, 1, 4, 6, 7, 2, 6, 3]), 3, 3)
    expect(Array.from(codes)).toEqual([42])
  })

  it('numbers the neighbours clockwise from the top-left', () => {
    for (let p = 0; p < 8; p++) {
      const patch = new Float32Array(9)
      patch[[0, 1, 2, 5, 8, 7, 6, 3][p]] = 1
      patch[4] = 0.5
      expect(lbpCodes(patch, 3, 3)[0]).toBe(1 << p)
    }
  })

  it('codes interior pixels only', () => {
    expect(lbpCodes(new Float32Array(5 * 4), 5, 4)).toHaveLength(3 * 2)
  })
})

describe('spotApex', () => {
  it.each([
    ['a clip longer than the window', 9, 7, 2, 3],
    ['a window longer than the clip', 5, 9, 2, 4],
    ['a single frame', 1, 3, 1, 1],
    ['uneven blocks', 6, 5, 3, 2.5],
  ])('scores %s like the written-out 3D DFT', (_, frames, windowLength, grid, radius) => {
    const clip = noiseClip(14, 12, frames, frames * 31 + grid)
    const expected = naiveScores(clip, windowLength, grid, radius)
    const { apexIndex, scores } = spotApex(clip, { windowLength, grid, radius })
    expect(scores).toHaveLength(frames)
    scores.forEach((s, i) => expect(s / expected[i]).toBeCloseTo(1, 10))
    expect(apexIndex).toBe(expected.indexOf(Math.max(...expected)))
  })

  it('finds the apex of a single motion pulse (default parameters, RGB face)', () => {
    // Brow raised 0.5, 1, 1.5, 1, 0.5 px at frames 38–42 of 110: apex 40.
    const shape = [0.5, 1, 1.5, 1, 0.5]
    const clip = syntheticClip({
      width: 48,
      height: 48,
      frames: 110,
      region: { x: 15, y: 15, radius: 9 },
      motion: (t) => (t >= 38 && t <= 42 ? shape[t - 38] : 0),
    })
    const { apexIndex, scores } = spotApex(clip)
    expect(apexIndex).toBe(40)
    // Windows that hold the whole pulse (centres 12–68) tie; the others score lower.
    expect(scores[40]).toBeGreaterThan(scores[11] * 1.001)
    expect(scores[40]).toBeGreaterThan(scores[69] * 1.001)
    expect(scores[12]).toBeCloseTo(scores[68], 3)
  })

  it('rejects an even window and a grid finer than the image', () => {
    const clip = noiseClip(10, 10, 3, 1)
    expect(() => spotApex(clip, { windowLength: 60 })).toThrow(AppError)
    expect(() => spotApex(clip, { grid: 9 })).toThrow(AppError)
  })
})
