import { describe, expect, it } from 'vitest'
import {
  addFoldF1,
  addReport,
  emptyHistory,
  foldColumns,
  reportX,
  seriesOf,
  stepFraction,
} from '../../../src/renderer/src/train/loss-history'

const step = (done: number, message: string, metrics: Record<string, number>) => ({
  done,
  total: 6,
  message,
  metrics,
})

describe('stepFraction and reportX', () => {
  it('read the step out of the engine’s progress message', () => {
    expect(stepFraction('fold 1/2 · step 3/4 · epoch 1/2 · iicl · wasm')).toBe(0.75)
    expect(stepFraction('fold 1/2 · epoch 1/2 · iicl · wasm')).toBe(0)
    expect(stepFraction(undefined)).toBe(0)
    expect(reportX(step(2, 'fold 2/2 · step 1/4 · epoch 1/2', {}))).toBe(2.25)
    // The last step stays just before the epoch's end.
    expect(reportX(step(2, 'fold 2/2 · step 4/4 · epoch 1/2', {}))).toBeCloseTo(2.999, 9)
  })
})

describe('addReport', () => {
  it('skips reports without loss terms (data preparation)', () => {
    const h = addReport(emptyHistory(), { done: 3, total: 8, message: 'Magnifying and preparing' })
    expect(h.x).toEqual([])
    expect(addReport(h, null)).toBe(h)
    expect(addReport(h, step(0, 'fold 1/2', { foldF1_1: 0.4 }))).toBe(h)
  })
  it('adds a column per term, with gaps where a report lacks one', () => {
    let h = emptyHistory()
    h = addReport(
      h,
      step(0, 'fold 1/2 · step 1/2', { total: 1.2, bceApex: 0.7, learningRate: 0.01 }),
    )
    h = addReport(h, step(1, 'fold 1/2', { total: 1.0, bceApex: 0.6, na: 0.3 }))
    expect(h.x).toEqual([0.5, 1])
    expect(h.terms.total).toEqual([1.2, 1.0])
    expect(h.terms.na).toEqual([null, 0.3])
    expect(h.terms.learningRate).toBeUndefined()
  })
  it('drops the points after a resumed job’s checkpoint', () => {
    let h = emptyHistory()
    h = addReport(h, step(1, 'fold 1/2', { total: 1 }))
    h = addReport(h, step(1, 'fold 1/2 · step 1/2', { total: 0.9 }))
    h = addReport(h, step(1, 'fold 1/2 · step 2/2', { total: 0.8 }))
    // Cancelled in epoch 2; resumed from the checkpoint after epoch 1: its first step again.
    h = addReport(h, step(1, 'fold 1/2 · step 1/2', { total: 0.95 }))
    expect(h.x).toEqual([1, 1.5])
    expect(h.terms.total).toEqual([1, 0.95])
  })
})

describe('fold F1', () => {
  it('collects foldF1_<n> per series, the variant an ablation names first', () => {
    expect(seriesOf('iicl (2/4) · fold 1/2 · epoch 1/2', 'run')).toBe('iicl')
    expect(seriesOf('fold 1/2 · epoch 1/2', 'baseline')).toBe('baseline')
    let f = addFoldF1({}, step(2, 'fold 1/2 done (F1 0.400)', { foldF1_1: 0.4 }), 'iicl')
    const same = addFoldF1(f, step(2, 'fold 2/2 · step 1/4', { foldF1_1: 0.4, total: 1 }), 'iicl')
    expect(same).toBe(f)
    f = addFoldF1(f, step(4, 'fold 2/2 done', { foldF1_1: 0.4, foldF1_2: 0.5 }), 'iicl')
    f = addFoldF1(f, step(6, 'baseline (2/2) · fold 1/2 done', { foldF1_1: 0.2 }), 'x')
    expect(f).toEqual({ iicl: { 1: 0.4, 2: 0.5 }, baseline: { 1: 0.2 } })
    expect(foldColumns(f)).toEqual({
      x: [1, 2],
      series: ['iicl', 'baseline'],
      y: [
        [0.4, 0.5],
        [0.2, null],
      ],
    })
  })
})
