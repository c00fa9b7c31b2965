import { describe, expect, it } from 'vitest'
import { crossValidationMetrics } from '../../../src/engine/ml/eval/cv-metrics'
import { formatAblationTable } from '../../../src/engine/ml/eval/ablation-table'

describe('pooled cross-validation metrics', () => {
  // AU1 pooled: tp 2, fp 1, fn 1, tn 2 → F1 2·2/(2·2 + 1 + 1) = 2/3, precision 2/3, recall 2/3, base 1/2,
  // kappa (4/6 − 1/2)/(1 − 1/2) = 1/3. AU2: never predicted → F1 0, fold warnings.
  const folds = [
    {
      fold: 0,
      clipIds: [1, 2, 3],
      truth: [
        [1, 1],
        [1, 0],
        [0, 0],
      ],
      scores: [
        [0.9, 0.1],
        [0.2, 0.4],
        [0.7, 0.3],
      ],
    },
    {
      fold: 1,
      clipIds: [4, 5, 6],
      truth: [
        [1, 0],
        [0, 1],
        [0, 0],
      ],
      scores: [
        [0.5, 0.2],
        [0.1, 0.49],
        [0.3, 0.0],
      ],
    },
  ]

  it('pools the folds before scoring (not a mean of fold scores)', () => {
    const m = crossValidationMetrics(folds, ['1', '2'])
    const au1 = m.perAu[0]
    expect(au1.f1).toBeCloseTo(2 / 3, 12)
    expect(au1.precision).toBeCloseTo(2 / 3, 12)
    expect(au1.recall).toBeCloseTo(2 / 3, 12)
    expect(au1.baseRate).toBeCloseTo(1 / 2, 12)
    expect(au1.kappa).toBeCloseTo(1 / 3, 12)
    expect(m.perAu[1]).toMatchObject({ f1: 0, positives: 2, predictedPositives: 0, kappa: 0 })
    expect(m.meanF1).toBeCloseTo(1 / 3, 12)
    // Fold 1 alone: AU1 tp 1, fp 1, fn 1 → 0.5; fold 2: tp 1 → 1.0.
    expect(m.perFold.map((f) => f.meanF1)).toEqual([0.25, 0.5])
    expect(m.warnings).toEqual([
      'fold 1 predicts no positive for AU 2',
      'fold 2 predicts no positive for AU 2',
    ])
  })

  it('prints the paper’s table layout: AUs as columns, AVG last, base rates', () => {
    const table = formatAblationTable({
      auList: ['1', '2'],
      positives: [3, 2],
      baseRates: [0.5, 1 / 3],
      rows: [
        { variant: 'baseline', f1: [0.25, 0.25], meanF1: 0.25, warnings: [], linearProbe: true },
        { variant: 'baseline', f1: [0.5, 0.25], meanF1: 0.375, warnings: [] },
        { variant: 'iicl', f1: [1, 0], meanF1: 0.5, warnings: [] },
      ],
    })
    expect(table.split('\n')).toEqual([
      '| Methods | AU1 | AU2 | AVG |',
      '| --- | --- | --- | --- |',
      '| Number | 3 | 2 | |',
      '| Linear probe (head only) | 0.25 | 0.25 | 0.25 |',
      '| Baseline | 0.50 | 0.25 | 0.38 |',
      '| IICL | 1.00 | 0.00 | 0.50 |',
      '| Base rate | 0.50 | 0.33 | 0.42 |',
      '| All positive | 0.67 | 0.50 | 0.58 |',
    ])
  })
})
