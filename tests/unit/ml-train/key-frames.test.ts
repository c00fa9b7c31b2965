import { describe, expect, it } from 'vitest'
import { Rng } from '../../../src/engine/datasets/synthetic/prng'
import {
  closeToApexCandidates,
  closeToApexRadius,
  pickCloseToApex,
  trainingFrameNumbers,
} from '../../../src/engine/ml/data/key-frames'

describe('close-to-apex frames', () => {
  it("span the paper's 3 frames at 200 fps in time: 15 ms at any rate, at least one frame", () => {
    expect([200, 100, 60, 30, 25, 500].map(closeToApexRadius)).toEqual([3, 2, 1, 1, 1, 8])
    // At 30 fps the candidates are the apex's two neighbours, not ±3 frames (0.1 s away).
    expect(
      closeToApexCandidates({ onset: 0, apex: 8, low: 0, high: 20 }, closeToApexRadius(30)),
    ).toEqual([7, 9])
  })

  it('are apex ± 3 without the apex inside the clip', () => {
    expect(closeToApexCandidates({ onset: 10, apex: 20, low: 10, high: 40 }, 3)).toEqual([
      17, 18, 19, 21, 22, 23,
    ])
  })

  it('clamp to the clip (or onset–offset) at either end', () => {
    expect(closeToApexCandidates({ onset: 10, apex: 39, low: 10, high: 40 }, 3)).toEqual([
      36, 37, 38, 40,
    ])
    expect(closeToApexCandidates({ onset: 10, apex: 11, low: 10, high: 40 }, 3)).toEqual([
      10, 12, 13, 14,
    ])
  })

  it('skip frames the clip lacks and fall back to the nearest other frame', () => {
    const available = new Set([5, 6, 20, 30])
    expect(closeToApexCandidates({ onset: 5, apex: 6, low: 5, high: 30 }, 3, available)).toEqual([
      5,
    ])
    expect(closeToApexCandidates({ onset: 5, apex: 20, low: 20, high: 20 }, 3, available)).toEqual([
      30,
    ])
    expect(closeToApexCandidates({ onset: 7, apex: 7, low: 7, high: 7 }, 3, new Set([7]))).toEqual([
      7,
    ])
  })

  it('are drawn from the candidates only, never the apex, and listed with onset and apex', () => {
    const span = { onset: 0, apex: 2, low: 0, high: 3 }
    const candidates = closeToApexCandidates(span, 3)
    const rng = new Rng(5)
    for (let i = 0; i < 50; i++) expect(candidates).toContain(pickCloseToApex(candidates, rng))
    expect(trainingFrameNumbers(span, candidates)).toEqual([0, 1, 2, 3])
  })
})
