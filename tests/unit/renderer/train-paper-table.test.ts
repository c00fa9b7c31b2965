import { describe, expect, it } from 'vitest'
import { formatAblationTable } from '../../../src/engine/ml/eval/ablation-table'
import { crossValidationMetrics } from '../../../src/engine/ml/eval/cv-metrics'
import {
  allPositiveF1 as allPositiveFromCounts,
  allPositiveF1OfRate as allPositiveF1,
} from '../../../src/shared/metrics'
import {
  formatCell,
  mean,
  tableFromAblation,
  tableFromMethods,
  unionAus,
} from '../../../src/renderer/src/train/paper-table'
import type { CvMetrics } from '../../../src/shared/ml'

/** Per-AU metrics with only what the table reads. */
function metrics(aus: [string, number, number, number][], meanF1: number): CvMetrics {
  return {
    protocol: 'test',
    threshold: 0.5,
    folds: 2,
    clips: 10,
    auList: aus.map(([au]) => au),
    meanF1,
    meanAllPositiveF1: 0,
    perAu: aus.map(([au, f1, baseRate, positives]) => ({
      au,
      f1,
      precision: 0,
      recall: 0,
      baseRate,
      kappa: null,
      positives,
      predictedPositives: 0,
      allPositiveF1: 0,
    })),
    perFold: [],
    warnings: [],
  }
}

describe('allPositiveF1', () => {
  it('is 2b / (1 + b): worked values', () => {
    expect(allPositiveF1(0)).toBe(0)
    expect(allPositiveF1(1)).toBe(1)
    expect(allPositiveF1(0.25)).toBeCloseTo(0.4, 12) // 0.5 / 1.25
    expect(allPositiveF1(1 / 3)).toBeCloseTo(0.5, 12) // (2/3) / (4/3)
  })
  it('agrees with the count form 2P / (2P + N) of shared/metrics', () => {
    for (const [p, n] of [
      [3, 9],
      [27, 69],
      [1, 1],
    ]) {
      expect(allPositiveF1(p / (p + n))).toBeCloseTo(
        allPositiveFromCounts({ tp: p, fn: 0, fp: n, tn: 0 }),
        12,
      )
    }
  })
})

describe('formatCell and mean', () => {
  it("writes counts as integers, F1 and rates as lib/format's measures, a dash for none", () => {
    expect(formatCell(27, 'count')).toBe('27')
    expect(formatCell(26.6, 'count')).toBe('27')
    expect(formatCell(0.375, 'f1')).toBe('0.375')
    expect(formatCell(0.43751, 'f1')).toBe('0.438')
    expect(formatCell(0.2, 'rate')).toBe('0.200')
    expect(formatCell(null, 'f1')).toBe('—')
    expect(formatCell(null, 'count')).toBe('—')
    expect(formatCell(Number.NaN, 'f1')).toBe('—')
  })
  it('averages, and has no mean of nothing', () => {
    expect(mean([0.2, 0.4, 0.6])).toBeCloseTo(0.4, 12)
    expect(mean([])).toBeNull()
  })
})

describe('tableFromAblation', () => {
  const result = {
    auList: ['1', '4', '12'],
    positives: [27, 33, 21],
    baseRates: [0.28, 0.34, 0.22],
    rows: [
      { variant: 'baseline' as const, f1: [0.37, 0.51, 0.17], meanF1: 0.35, warnings: [] },
      { variant: 'iicl' as const, f1: [0.39, 0.52, 0.19], meanF1: 0.3667, warnings: [] },
    ],
  }
  it('lays out Number, the variants, Base rate and All positive as the engine’s markdown does', () => {
    const table = tableFromAblation({
      ...result,
      preset: 'laptop',
      folds: 4,
      seed: 0,
      epochs: 12,
      bce: 'x',
      backend: 'wasm',
      outDir: '/tmp/x',
    })
    expect(table.aus).toEqual(['1', '4', '12'])
    expect(table.rows.map((r) => r.label)).toEqual([
      'Number',
      'Baseline',
      'IICL',
      'Base rate',
      'All positive',
    ])
    // The same values, row for row, as formatAblationTable (engine/ml/eval/ablation-table.ts),
    // which prints them as the paper does (two decimals; the screen gives three).
    const markdown = formatAblationTable(result).split('\n').slice(2)
    const paperText = (value: number | null, kind: string) =>
      value === null ? '' : kind === 'count' ? String(Math.round(value)) : value.toFixed(2)
    table.rows.forEach((row, i) => {
      const cells = [...row.cells.map((c) => paperText(c, row.kind)), paperText(row.mean, row.kind)]
      const expected = markdown[i]
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim())
      expect([row.label, ...cells]).toEqual(expected)
    })
    // All positive of AU1: 2 · 0.28 / 1.28 = 0.4375.
    expect(table.rows[4].cells[0]).toBeCloseTo(0.4375, 12)
    expect(table.rows[0].mean).toBeNull()
  })
})

describe('tableFromMethods', () => {
  it('shares the context rows when the methods were evaluated on the same clips', () => {
    const a = metrics(
      [
        ['1', 0.5, 0.25, 3],
        ['2', 0.2, 0.5, 6],
      ],
      0.35,
    )
    const b = metrics(
      [
        ['1', 0.6, 0.25, 3],
        ['2', 0.3, 0.5, 6],
      ],
      0.45,
    )
    const table = tableFromMethods([
      { label: 'first', metrics: a },
      { label: 'second', metrics: b },
    ])
    expect(table.rows.map((r) => r.label)).toEqual([
      'Number',
      'first',
      'second',
      'Base rate',
      'All positive',
    ])
    expect(table.rows[1].cells).toEqual([0.5, 0.2])
    expect(table.rows[1].mean).toBe(0.35)
    expect(table.rows[3].mean).toBeCloseTo(0.375, 12)
    // (0.4 + 2/3) / 2
    expect(table.rows[4].cells[1]).toBeCloseTo(2 / 3, 12)
    expect(table.rows[4].mean).toBeCloseTo((0.4 + 2 / 3) / 2, 12)
  })
  it('names the context rows per method when their data differ, with empty cells for AUs a model lacks', () => {
    const a = metrics([['1', 0.5, 0.25, 3]], 0.5)
    const b = metrics(
      [
        ['2', 0.3, 0.5, 6],
        ['1', 0.1, 0.2, 2],
      ],
      0.2,
    )
    const table = tableFromMethods([
      { label: 'A', metrics: a },
      { label: 'B', metrics: b },
    ])
    expect(table.aus).toEqual(['1', '2'])
    expect(table.rows.map((r) => r.label)).toEqual([
      'Number (A)',
      'Number (B)',
      'A',
      'B',
      'Base rate (A)',
      'All positive (A)',
      'Base rate (B)',
      'All positive (B)',
    ])
    expect(table.rows[2].cells).toEqual([0.5, null])
    expect(table.rows[3].cells).toEqual([0.1, 0.3])
  })
  it('takes the engine’s pooled cross-validation metrics as they are', () => {
    const cv = crossValidationMetrics(
      [
        {
          fold: 0,
          clipIds: [1, 2],
          truth: [
            [1, 0],
            [0, 1],
          ],
          scores: [
            [0.9, 0.2],
            [0.1, 0.4],
          ],
        },
        {
          fold: 1,
          clipIds: [3, 4],
          truth: [
            [1, 1],
            [0, 0],
          ],
          scores: [
            [0.3, 0.8],
            [0.7, 0.1],
          ],
        },
      ],
      ['1', '2'],
    )
    const table = tableFromMethods([{ label: 'IICL', metrics: cv }])
    // AU1: truth 1,0,1,0 vs predicted 1,0,0,1 → TP 1, FP 1, FN 1 → F1 0.5; AU2: truth
    // 0,1,1,0 vs 0,0,1,0 → TP 1, FN 1 → F1 2/3.
    expect(table.rows[1].cells[0]).toBeCloseTo(0.5, 12)
    expect(table.rows[1].cells[1]).toBeCloseTo(2 / 3, 12)
    expect(table.rows[1].mean).toBe(cv.meanF1)
    expect(table.rows[0].cells).toEqual([2, 2])
    expect(table.rows[2].cells).toEqual([0.5, 0.5])
    expect(table.rows[3].cells[0]).toBeCloseTo(cv.perAu[0].allPositiveF1, 12)
    expect(table.rows[3].mean).toBeCloseTo(cv.meanAllPositiveF1, 12)
  })
})

describe('unionAus', () => {
  it('keeps the first list’s order and appends the others’ new AUs', () => {
    expect(unionAus([['4', '1'], ['1', '12'], []])).toEqual(['4', '1', '12'])
  })
})
