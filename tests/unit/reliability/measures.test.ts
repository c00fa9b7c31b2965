import { describe, expect, it } from 'vitest'
import {
  agreementRatio,
  binaryFleissKappa,
  fleissKappa,
  framesToMs,
  intervalIoU,
  meanAbsoluteDifference,
  pairKappa,
} from '../../../src/shared/reliability'

describe('agreementRatio (FACS)', () => {
  it('is 2·|A∩B| / (|A| + |B|) on AU numbers', () => {
    // {1, 2, 4} and {1, 4, 7}: 2 in common, 3 + 3 scored: 4 / 6.
    expect(agreementRatio([1, 2, 4], [1, 4, 7])).toBeCloseTo(2 / 3, 12)
    expect(agreementRatio([12], [12])).toBe(1)
    expect(agreementRatio([12], [4])).toBe(0)
    expect(agreementRatio([1, 2], [])).toBe(0)
  })

  it('counts an AU once however many sides carry it, and is undefined for two empty sets', () => {
    // L12 and R12 are one AU 12: {12} against {12, 15} gives 2 / 3.
    expect(agreementRatio([12, 12], [12, 15])).toBeCloseTo(2 / 3, 12)
    expect(agreementRatio([], [])).toBeNull()
  })
})

describe('pairKappa (Cohen, through the shared metrics)', () => {
  it('matches a hand-worked 2×2 table', () => {
    // tp 2, fn 1, fp 1, tn 6: pₒ = 0.8, pₑ = 0.3·0.3 + 0.7·0.7 = 0.58, κ = 0.22 / 0.42.
    const a = [1, 1, 0, 0, 1, 0, 0, 0, 0, 0]
    const b = [1, 0, 0, 0, 1, 1, 0, 0, 0, 0]
    expect(pairKappa(a, b)).toBeCloseTo(0.22 / 0.42, 12)
    expect(pairKappa(b, a)).toBeCloseTo(0.22 / 0.42, 12)
  })

  it('is 1 for identical decisions and null when chance agreement is certain', () => {
    expect(pairKappa([1, 0, 1], [1, 0, 1])).toBe(1)
    expect(pairKappa([0, 0, 0], [0, 0, 0])).toBeNull()
    expect(pairKappa([], [])).toBeNull()
  })
})

describe('fleissKappa', () => {
  it('reproduces the worked example of Fleiss (1971) as Wikipedia gives it: 4211/20059 ≈ 0.210', () => {
    const counts = [
      [0, 0, 0, 0, 14],
      [0, 2, 6, 4, 2],
      [0, 0, 3, 5, 6],
      [0, 3, 9, 2, 0],
      [2, 2, 8, 1, 1],
      [7, 7, 0, 0, 0],
      [3, 2, 6, 3, 0],
      [2, 5, 3, 2, 2],
      [6, 5, 2, 1, 0],
      [0, 2, 2, 3, 7],
    ]
    expect(fleissKappa(counts)).toBeCloseTo(4211 / 20059, 12)
  })

  it('matches a hand-worked yes/no case with three coders', () => {
    // Items with 3, 2, 0, 1 yes votes: P_i = 1, 1/3, 1, 1/3, P̄ = 2/3; p_yes = 6/12, P̄ₑ = 1/2.
    // κ = (2/3 − 1/2) / (1 − 1/2) = 1/3.
    const decisions = [
      [1, 1, 0, 1],
      [1, 1, 0, 0],
      [1, 0, 0, 0],
    ]
    expect(binaryFleissKappa(decisions)).toBeCloseTo(1 / 3, 12)
  })

  it('is null when undefined and refuses items with different numbers of ratings', () => {
    expect(fleissKappa([])).toBeNull()
    expect(fleissKappa([[1, 0]])).toBeNull()
    expect(
      binaryFleissKappa([
        [1, 1],
        [1, 1],
      ]),
    ).toBeNull()
    expect(() =>
      fleissKappa([
        [2, 0],
        [1, 0],
      ]),
    ).toThrow(RangeError)
  })
})

describe('timing', () => {
  it('converts frames to milliseconds at the clip’s frame rate', () => {
    expect(framesToMs(3, 200)).toBe(15)
    expect(framesToMs(3, 30)).toBe(100)
  })

  it('intervalIoU counts frames with both ends included', () => {
    // [10, 19] and [15, 24]: 10 frames each, 5 shared, 15 in either.
    expect(
      intervalIoU({ onset: 10, apex: null, offset: 19 }, { onset: 15, apex: null, offset: 24 }),
    ).toBeCloseTo(1 / 3, 12)
    expect(
      intervalIoU({ onset: 10, apex: 12, offset: 19 }, { onset: 10, apex: 14, offset: 19 }),
    ).toBe(1)
    expect(
      intervalIoU({ onset: 10, apex: null, offset: 12 }, { onset: 20, apex: null, offset: 25 }),
    ).toBe(0)
    expect(
      intervalIoU({ onset: 10, apex: null, offset: null }, { onset: 10, apex: null, offset: 12 }),
    ).toBeNull()
  })

  it('meanAbsoluteDifference averages frames and ms over complete pairs', () => {
    // 2 frames at 200 fps (10 ms) and 3 frames at 100 fps (30 ms); the third pair is incomplete.
    expect(
      meanAbsoluteDifference([
        { a: 10, b: 12, fps: 200 },
        { a: 20, b: 17, fps: 100 },
        { a: null, b: 5, fps: 200 },
      ]),
    ).toEqual({ frames: 2.5, ms: 20 })
    expect(meanAbsoluteDifference([{ a: null, b: null, fps: 200 }])).toBeNull()
  })
})
