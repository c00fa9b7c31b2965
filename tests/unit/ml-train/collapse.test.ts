import { describe, expect, it } from 'vitest'
import {
  chosenThresholds,
  crossValidationMetrics,
  decisionsAtThresholds,
  foldWarnings,
} from '../../../src/engine/ml/eval/cv-metrics'
import { collapseNotice, collapsedPairs } from '../../../src/shared/collapse'

// Two folds, two AUs. Fold 1 calls AU 1 positive on every clip and never AU 2; fold 2
// separates both (AU 1: 0.8 vs 0.3; AU 2: 0.6 vs 0.2).
const folds = [
  {
    fold: 0,
    clipIds: [1, 2],
    truth: [
      [1, 1],
      [0, 0],
    ],
    scores: [
      [0.9, 0.3],
      [0.7, 0.1],
    ],
    thresholds: [0.8, 0.2],
  },
  {
    fold: 1,
    clipIds: [3, 4],
    truth: [
      [1, 1],
      [0, 0],
    ],
    scores: [
      [0.8, 0.6],
      [0.3, 0.2],
    ],
    thresholds: [0.5, 0.4],
  },
]

describe('collapse guard', () => {
  it('names the folds that predict no positive, or only positives, for an AU', () => {
    expect(foldWarnings(folds[0], ['1', '2'])).toEqual([
      'fold 1 predicts no positive for AU 2',
      'fold 1 predicts every clip positive for AU 1',
    ])
    const metrics = crossValidationMetrics(folds, ['1', '2'])
    expect(collapsedPairs(metrics)).toEqual([
      { fold: 1, au: '2', kind: 'none' },
      { fold: 1, au: '1', kind: 'all' },
    ])
    expect(collapseNotice(metrics)).toMatch(
      /^Collapse: of 4 fold × AU pairs at threshold 0\.5, the model predicted no clip positive in 1 \(fold 1 AU 2\) and predicted every clip positive in 1 \(fold 1 AU 1\)\./,
    )
  })

  it('says nothing when every fold tells the clips apart', () => {
    expect(collapseNotice(crossValidationMetrics([folds[1]], ['1', '2']))).toBeNull()
  })
})

describe('metrics at the chosen thresholds', () => {
  it('judges each fold at its own thresholds (s ≥ t → positive)', () => {
    expect(decisionsAtThresholds(folds[0]).scores).toEqual([
      [1, 1],
      [0, 0],
    ])
    const chosen = chosenThresholds(folds, ['1', '2'], true)
    // Both folds separate both AUs at their own thresholds: F1 1 for each AU.
    expect(chosen.metricsAtThresholds?.meanF1).toBe(1)
    expect(chosen.metricsAtThresholds?.protocol).toMatch(/inside its training folds/)
    // At 0.5: AU 1 has tp 2, fp 1 → 0.8; AU 2 has tp 1, fn 1 → 2/3.
    expect(crossValidationMetrics(folds, ['1', '2']).meanF1).toBeCloseTo((0.8 + 2 / 3) / 2, 10)
  })

  it('keeps 0.5 for every AU without an inner split', () => {
    const chosen = chosenThresholds(folds, ['1', '2'], false)
    expect(chosen.thresholds).toEqual({ '1': 0.5, '2': 0.5 })
    expect(chosen.metricsAtThresholds).toBeNull()
  })
})
