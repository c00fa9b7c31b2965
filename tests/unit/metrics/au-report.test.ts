import { describe, expect, it } from 'vitest'
import { auReport, poolPredictions, type PredictionSet } from '../../../src/shared/metrics'

// Two folds, AUs 1 and 4. Predictions at 0.5 are written next to the scores.
const foldA: PredictionSet = {
  truth: [
    [1, 0],
    [0, 1],
    [1, 1],
  ],
  scores: [
    [0.9, 0.2], // 1 0
    [0.6, 0.8], // 1 1
    [0.4, 0.1], // 0 0
  ],
}
const foldB: PredictionSet = {
  truth: [
    [0, 0],
    [1, 0],
  ],
  scores: [
    [0.1, 0.6], // 0 1
    [0.7, 0.2], // 1 0
  ],
}

describe('auReport on pooled folds', () => {
  const report = auReport(poolPredictions([foldA, foldB]), ['1', '4'])

  it('pools the samples of every fold', () => {
    expect(report.sampleCount).toBe(5)
    expect(report.threshold).toBe(0.5)
  })

  it('AU1: truth 1 0 1 0 1, predicted 1 1 0 0 1 -> tp 2, fp 1, fn 1, tn 1', () => {
    const au1 = report.perAu[0]
    expect(au1.au).toBe('1')
    expect(au1.counts).toEqual({ tp: 2, fp: 1, fn: 1, tn: 1 })
    expect(au1.precision).toBeCloseTo(2 / 3, 12)
    expect(au1.recall).toBeCloseTo(2 / 3, 12)
    expect(au1.f1).toBeCloseTo(2 / 3, 12)
    expect(au1.baseRate).toBeCloseTo(0.6, 12)
    expect(au1.predictedPositiveRate).toBeCloseTo(0.6, 12)
    // p_o = 3/5, p_e = (3·3 + 2·2)/25 = 13/25 -> (0.6 − 0.52)/0.48
    expect(au1.kappa).toBeCloseTo(1 / 6, 12)
    expect(au1.allPositiveF1).toBeCloseTo(0.75, 12)
  })

  it('AU4: truth 0 1 1 0 0, predicted 0 1 0 1 0 -> tp 1, fp 1, fn 1, tn 2', () => {
    const au4 = report.perAu[1]
    expect(au4.counts).toEqual({ tp: 1, fp: 1, fn: 1, tn: 2 })
    expect(au4.f1).toBeCloseTo(0.5, 12)
    expect(au4.baseRate).toBeCloseTo(0.4, 12)
    expect(au4.allPositiveF1).toBeCloseTo(0.8 / 1.4, 12)
  })

  it('mean F1 is the mean over AUs of the pooled F1', () => {
    expect(report.meanF1).toBeCloseTo((2 / 3 + 0.5) / 2, 12)
    expect(report.meanAllPositiveF1).toBeCloseTo((0.75 + 0.8 / 1.4) / 2, 12)
    expect(report.ausWithoutPredictedPositives).toEqual([])
  })

  it('differs from averaging per-fold F1 (AU1: folds give 0.5 and 1, pooled 2/3)', () => {
    const a = auReport(foldA, ['1', '4']).perAu[0].f1
    const b = auReport(foldB, ['1', '4']).perAu[0].f1
    expect(a).toBeCloseTo(0.5, 12)
    expect(b).toBeCloseTo(1, 12)
    expect(report.perAu[0].f1).not.toBeCloseTo((a + b) / 2, 3)
  })
})

describe('auReport edge cases', () => {
  it('lists AUs with no predicted positive and scores them 0', () => {
    const report = auReport(
      {
        truth: [
          [1, 1],
          [0, 1],
        ],
        scores: [
          [0.2, 0.9],
          [0.1, 0.3],
        ],
      },
      ['7', '12'],
    )
    expect(report.ausWithoutPredictedPositives).toEqual(['7'])
    expect(report.perAu[0].f1).toBe(0)
    expect(report.perAu[1].f1).toBeCloseTo(2 / 3, 12)
    expect(report.meanF1).toBeCloseTo(1 / 3, 12)
  })

  it('uses the threshold given', () => {
    const set = { truth: [[1], [0]], scores: [[0.6], [0.4]] }
    expect(auReport(set, ['1'], 0.5).perAu[0].f1).toBe(1)
    expect(auReport(set, ['1'], 0.3).perAu[0].counts).toEqual({ tp: 1, fp: 1, fn: 0, tn: 0 })
  })

  it('rejects mismatched shapes and an empty AU list', () => {
    expect(() => auReport({ truth: [[1]], scores: [] }, ['1'])).toThrow(RangeError)
    expect(() => auReport({ truth: [[1, 0]], scores: [[0.5]] }, ['1', '2'])).toThrow(
      /score row 0 has 1 values/,
    )
    expect(() => auReport({ truth: [], scores: [] }, [])).toThrow(RangeError)
  })
})
