import { describe, expect, it } from 'vitest'
import {
  allocatePyramid,
  buildLaplacian,
  collapseLaplacian,
  expandLine,
  pyramidLevelCount,
  pyramidScratchLength,
  pyramidSizes,
  reduceLine,
} from '../../../src/engine/signal/pyramid'
import { random } from './synthetic-clip'

const BINOMIAL = [1, 4, 6, 4, 1]

/** Reflection without repeating the edge sample, by repeated folding. */
function reflect101(i: number, n: number): number {
  let j = i
  while (j < 0 || j >= n) j = j < 0 ? -j : 2 * (n - 1) - j
  return j
}

describe('pyramid geometry', () => {
  it('counts levels as buildLpyr(im, "auto")', () => {
    expect(pyramidLevelCount(256, 256)).toBe(7)
    expect(pyramidLevelCount(160, 160)).toBe(7)
    expect(pyramidLevelCount(640, 480)).toBe(8)
    expect(pyramidLevelCount(5, 5)).toBe(2)
    expect(pyramidLevelCount(4, 100)).toBe(1)
  })

  it('halves sizes rounding up', () => {
    expect(pyramidSizes(160, 45, 4)).toEqual([
      { width: 160, height: 45 },
      { width: 80, height: 23 },
      { width: 40, height: 12 },
      { width: 20, height: 6 },
    ])
  })
})

describe('line kernels', () => {
  it('reduce [1 2 3 4 5] to the worked [1.75 3 4.25]', () => {
    const out = new Float64Array(3)
    reduceLine(Float64Array.from([1, 2, 3, 4, 5]), 0, 5, out, 0)
    expect(Array.from(out)).toEqual([1.75, 3, 4.25])
  })

  it('expand [1 2 3] to the worked 5 and 6 samples', () => {
    const odd = new Float64Array(5)
    expandLine(Float64Array.from([1, 2, 3]), 0, 3, odd, 0, 5)
    expect(Array.from(odd)).toEqual([1.25, 1.5, 2, 2.5, 2.75])
    const even = new Float64Array(6)
    expandLine(Float64Array.from([1, 2, 3]), 0, 3, even, 0, 6)
    expect(Array.from(even)).toEqual([1.25, 1.5, 2, 2.5, 2.875, 3])
  })

  it.each([3, 4, 5, 6, 9, 10, 17, 32])(
    'equal filtering with reflected borders, for %i samples',
    (n) => {
      const next = random(n)
      const x = Float64Array.from({ length: n }, next)
      const m = (n + 1) >> 1
      const reduced = new Float64Array(m)
      reduceLine(x, 0, n, reduced, 0)
      for (let k = 0; k < m; k++) {
        const expected =
          BINOMIAL.reduce((s, f, j) => s + f * x[reflect101(2 * k + j - 2, n)], 0) / 16
        expect(reduced[k]).toBeCloseTo(expected, 14)
      }
      // Expand = insert zeros, reflect, filter with 2·binomial/16.
      const coarse = Float64Array.from({ length: m }, next)
      const zeros = new Float64Array(n)
      for (let k = 0; k < m; k++) zeros[2 * k] = coarse[k]
      const expanded = new Float64Array(n)
      expandLine(coarse, 0, m, expanded, 0, n)
      for (let i = 0; i < n; i++) {
        const expected =
          BINOMIAL.reduce((s, f, j) => s + f * zeros[reflect101(i + j - 2, n)], 0) / 8
        expect(expanded[i]).toBeCloseTo(expected, 14)
      }
    },
  )
})

describe('Laplacian pyramid', () => {
  it.each([
    [64, 64],
    [37, 23],
    [160, 120],
  ])('collapses back to the %i×%i input', (width, height) => {
    const next = random(width * height)
    const image = Float64Array.from({ length: width * height }, next)
    const sizes = pyramidSizes(width, height, pyramidLevelCount(width, height))
    const levels = allocatePyramid(sizes)
    const scratch = new Float64Array(pyramidScratchLength(width, height))
    levels[0].set(image)
    buildLaplacian(levels, sizes, scratch)
    // The finest band of noise carries most of its energy: the build did something.
    expect(Math.max(...levels[0].map(Math.abs))).toBeGreaterThan(0.1)
    collapseLaplacian(levels, sizes, scratch)
    let worst = 0
    for (let i = 0; i < image.length; i++)
      worst = Math.max(worst, Math.abs(levels[0][i] - image[i]))
    expect(worst).toBeLessThan(1e-6)
  })

  it('puts a constant image in the residual only', () => {
    const sizes = pyramidSizes(20, 20, pyramidLevelCount(20, 20))
    const levels = allocatePyramid(sizes)
    levels[0].fill(0.3)
    buildLaplacian(levels, sizes, new Float64Array(pyramidScratchLength(20, 20)))
    for (let l = 0; l + 1 < levels.length; l++) {
      for (const v of levels[l]) expect(v).toBeCloseTo(0, 14)
    }
    for (const v of levels[levels.length - 1]) expect(v).toBeCloseTo(0.3, 14)
  })
})
