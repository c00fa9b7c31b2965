import { describe, expect, it } from 'vitest'
import { crossValidationMetrics } from '../../../src/engine/ml/eval/cv-metrics'
import type { TrainingResult } from '../../../src/engine/ml/train/training-run'
import {
  isAblationResult,
  isCvMetrics,
  isTrainingResult,
  type TrainingResultView,
} from '../../../src/renderer/src/train/result-types'
import { modelFacts } from '../../../src/renderer/src/models/model-facts'

// The engine's training result fits the renderer's view (checked by tsc over the tests).
export type Fits = TrainingResult extends TrainingResultView ? true : never

const cv = crossValidationMetrics(
  [
    { fold: 0, clipIds: [1, 2], truth: [[1], [0]], scores: [[0.9], [0.1]] },
    { fold: 1, clipIds: [3], truth: [[1]], scores: [[0.2]] },
  ],
  ['4'],
)
// What models.metrics stores: the metrics through JSON, plus the loss description.
const stored: unknown = JSON.parse(JSON.stringify({ ...cv, bce: 'class-balanced BCE' }))

describe('result guards', () => {
  it('accept what the engine stores and answers', () => {
    expect(isCvMetrics(stored)).toBe(true)
    expect(isTrainingResult({ modelId: 1, outDir: '/m', metrics: stored, warnings: [] })).toBe(true)
    expect(
      isAblationResult({
        auList: ['4'],
        positives: [2],
        baseRates: [2 / 3],
        rows: [{ variant: 'iicl', f1: [0.5], meanF1: 0.5, warnings: [] }],
      }),
    ).toBe(true)
  })
  it('refuse other shapes', () => {
    expect(isCvMetrics(null)).toBe(false)
    expect(isCvMetrics({ meanF1: 0.5, auList: ['1'], perAu: [{ au: '1' }], perFold: [] })).toBe(
      false,
    )
    expect(isTrainingResult(stored)).toBe(false)
    expect(isAblationResult({ auList: ['1'], positives: ['x'], baseRates: [], rows: [] })).toBe(
      false,
    )
  })
})

describe('modelFacts', () => {
  it('read what a stored training record holds, null for the rest', () => {
    expect(
      modelFacts({
        datasetIds: [2, 5],
        folds: 4,
        epochs: 12,
        seed: 0,
        backend: 'wasm',
        bce: 'BCE',
      }),
    ).toEqual({
      folds: 4,
      epochs: 12,
      seed: 0,
      backend: 'wasm',
      bce: 'BCE',
      minPositives: null,
    })
    expect(modelFacts(null).folds).toBeNull()
    expect(modelFacts({ folds: '4' }).folds).toBeNull()
  })
})
