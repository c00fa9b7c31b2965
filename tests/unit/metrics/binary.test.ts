import { describe, expect, it } from 'vitest'
import {
  allPositiveF1,
  baseRate,
  cohenKappa,
  confusionCounts,
  f1Score,
  precision,
  predictedPositiveRate,
  recall,
  sampleCount,
  thresholdScores,
} from '../../../src/shared/metrics'

describe('confusionCounts', () => {
  it('counts each cell of a hand-worked example', () => {
    // i:      0  1  2  3  4  5
    // truth:  1  1  0  0  1  0
    // pred:   1  0  1  0  1  0  -> tp at 0, 4; fn at 1; fp at 2; tn at 3, 5
    expect(confusionCounts([1, 1, 0, 0, 1, 0], [1, 0, 1, 0, 1, 0])).toEqual({
      tp: 2,
      fp: 1,
      fn: 1,
      tn: 2,
    })
  })

  it('accepts typed arrays', () => {
    expect(confusionCounts(new Uint8Array([1, 0]), new Float32Array([1, 1]))).toEqual({
      tp: 1,
      fp: 1,
      fn: 0,
      tn: 0,
    })
  })

  it('rejects unequal lengths and values other than 0 and 1', () => {
    expect(() => confusionCounts([1, 0], [1])).toThrow(RangeError)
    expect(() => confusionCounts([1, 0.5], [1, 0])).toThrow(/truth\[1\] = 0.5/)
    expect(() => confusionCounts([1, 0], [2, 0])).toThrow(/predicted\[0\] = 2/)
  })
})

describe('thresholdScores', () => {
  it('calls a score positive when it reaches the threshold', () => {
    expect([...thresholdScores([0.5, 0.4999, 0.7, 0])]).toEqual([1, 0, 1, 0])
    expect([...thresholdScores([0.5, 0.4999, 0.7, 0], 0.7)]).toEqual([0, 0, 1, 0])
  })
})

describe('measures on hand-worked counts', () => {
  // The classic two-rater example: 20 yes-yes, 5 (0, 1), 10 (1, 0), 15 no-no, n = 50.
  const counts = { tp: 20, fp: 5, fn: 10, tn: 15 }

  it('precision, recall, F1, base rate and predicted rate', () => {
    expect(sampleCount(counts)).toBe(50)
    expect(precision(counts)).toBeCloseTo(20 / 25, 12)
    expect(recall(counts)).toBeCloseTo(20 / 30, 12)
    // 2·20 / (40 + 5 + 10)
    expect(f1Score(counts)).toBeCloseTo(40 / 55, 12)
    expect(baseRate(counts)).toBeCloseTo(30 / 50, 12)
    expect(predictedPositiveRate(counts)).toBeCloseTo(25 / 50, 12)
  })

  it("Cohen's kappa: p_o = 0.7, p_e = (25·30 + 25·20)/2500 = 0.5, kappa = 0.4", () => {
    expect(cohenKappa(counts)).toBeCloseTo(0.4, 12)
  })

  it('kappa is 1 for perfect agreement, -1 for perfect disagreement, 0 at chance', () => {
    expect(cohenKappa({ tp: 3, fp: 0, fn: 0, tn: 2 })).toBeCloseTo(1, 12)
    // p_o = 0, p_e = (1·1 + 1·1)/4 = 0.5
    expect(cohenKappa({ tp: 0, fp: 1, fn: 1, tn: 0 })).toBeCloseTo(-1, 12)
    // truth [1,0,0], nothing predicted: p_o = 2/3, p_e = (0·1 + 3·2)/9 = 2/3
    expect(cohenKappa({ tp: 0, fp: 0, fn: 1, tn: 2 })).toBeCloseTo(0, 12)
  })

  it('the all-positive F1 is 2b/(1+b)', () => {
    // b = 0.6 -> 1.2 / 1.6
    expect(allPositiveF1(counts)).toBeCloseTo(0.75, 12)
    // it equals the F1 of actually predicting everything positive
    const allYes = confusionCounts([1, 0, 0, 0], [1, 1, 1, 1])
    expect(f1Score(allYes)).toBeCloseTo(0.4, 12)
    expect(allPositiveF1(allYes)).toBeCloseTo(0.4, 12)
  })
})

describe('edge cases', () => {
  it('no positives and none predicted: every rate 0, kappa undefined (NaN)', () => {
    const c = confusionCounts([0, 0, 0], [0, 0, 0])
    expect(precision(c)).toBe(0)
    expect(recall(c)).toBe(0)
    expect(f1Score(c)).toBe(0)
    expect(baseRate(c)).toBe(0)
    expect(allPositiveF1(c)).toBe(0)
    expect(cohenKappa(c)).toBeNaN()
  })

  it('positives but no predicted positive: precision 0, recall 0, F1 0', () => {
    const c = confusionCounts([1, 1, 0], [0, 0, 0])
    expect(precision(c)).toBe(0)
    expect(recall(c)).toBe(0)
    expect(f1Score(c)).toBe(0)
    expect(baseRate(c)).toBeCloseTo(2 / 3, 12)
  })

  it('predicted positives but no positives: precision 0, recall 0, F1 0', () => {
    const c = confusionCounts([0, 0, 0], [1, 0, 0])
    expect(precision(c)).toBe(0)
    expect(recall(c)).toBe(0)
    expect(f1Score(c)).toBe(0)
    expect(cohenKappa(c)).toBeCloseTo(0, 12)
  })

  it('both raters constant positive: kappa undefined although they agree', () => {
    expect(cohenKappa(confusionCounts([1, 1], [1, 1]))).toBeNaN()
    expect(f1Score(confusionCounts([1, 1], [1, 1]))).toBe(1)
  })

  it('no samples at all', () => {
    const c = confusionCounts([], [])
    expect(sampleCount(c)).toBe(0)
    expect(baseRate(c)).toBe(0)
    expect(predictedPositiveRate(c)).toBe(0)
    expect(cohenKappa(c)).toBeNaN()
  })
})
