import { describe, expect, it } from 'vitest'
import {
  datasetsWithClips,
  modelRecordFacts,
  otherFacts,
  subjectsPerDataset,
  trainingTime,
} from '../../../src/renderer/src/models/model-record'
import type { ModelDetail } from '../../../src/shared/ml'

/** A stored training record as training-run.ts writes it, trimmed to what the page reads. */
const RECORD = {
  preset: 'tiny',
  variant: 'iicl',
  seed: 7,
  epochs: 2,
  batchSize: 4,
  learningRate: 0.0001,
  learningRateStepEpochs: 1,
  learningRateDecay: 0.1,
  momentum: 0.9,
  resizeSize: 37,
  cropSize: 32,
  lambda: 0.5,
  margin: 1,
  classBalancedBce: true,
  bce: 'class-balanced BCE',
  weightsFile: null,
  datasetIds: [3, 5],
  labelLayers: [
    { datasetId: 3, coder: { id: 1, name: 'CASME II sheet', kind: 'import' } },
    { datasetId: 5, coder: { id: 2, name: 'Ann', kind: 'human' } },
  ],
  folds: 2,
  foldAssignment: { '3/sub01': 0, '3/sub02': 1, '5/sub01': 0 },
  minPositives: 2,
  auCounts: { '4': 3, '12': 5 },
  clipsPerDataset: { '3': 8, '5': 4 },
  spottedApexes: 1,
  backend: 'wasm',
  trainedAt: '2026-12-07T03:00:00.000Z',
  futureField: { auThresholds: 'from #16' },
}

const MODEL: ModelDetail = {
  id: 9,
  name: 'tiny iicl',
  preset: 'tiny',
  variant: 'iicl',
  path: '/lib.models/m1',
  meanF1: 0.4,
  createdAt: '2026-12-07 03:00:00',
  config: RECORD,
  metrics: { threshold: 0.5, clips: 12, auList: ['4', '12'], meanF1: 0.4 },
}

const names: Record<number, string> = { 3: 'CASME II', 5: 'SAMM' }
const facts = Object.fromEntries(
  modelRecordFacts(MODEL, (id) => names[id]).map((f) => [f.key, f.value]),
)

describe('modelRecordFacts', () => {
  it('names the datasets with their subjects and label layers, and the clips', () => {
    expect(subjectsPerDataset(RECORD)).toEqual(
      new Map([
        [3, 2],
        [5, 1],
      ]),
    )
    expect(facts.datasets).toBe(
      'CASME II (2 subjects, 8 clips, labels of CASME II sheet) + SAMM (1 subject, 4 clips, labels of Ann)',
    )
    expect(facts.clips).toBe('12 clips')
  })

  it('gives AUs with FACS names, folds, loss, schedule, threshold, backend and files', () => {
    expect(facts.aus).toBe('AU4 Brow Lowerer, AU12 Lip Corner Puller')
    expect(facts.folds).toBe('2, subject-independent (seed 7)')
    expect(facts.variant).toMatch(/IICL|iicl/)
    expect(facts.loss).toBe('class-balanced BCE; λ 0.5, margin δ 1')
    expect(facts.schedule).toBe(
      '2 epochs, batch 4 clips, SGD momentum 0.9, learning rate 1e-4 × 0.1 every 1 epoch',
    )
    expect(facts.threshold).toBe('0.5 for every AU')
    expect(facts.backend).toBe('wasm')
    expect(facts.weights).toBe('none (trained from scratch)')
    expect(facts.trainingTime).toBe('not recorded')
    expect(facts.path).toBe('/lib.models/m1')
  })

  it('says one threshold once when every AU has it', () => {
    const same = { ...MODEL, config: { ...RECORD, thresholds: { '4': 0.5, '12': 0.5 } } }
    const f = Object.fromEntries(
      modelRecordFacts(same, (id) => names[id]).map((x) => [x.key, x.value]),
    )
    expect(f.threshold).toBe('0.5 for every AU')
  })

  it('shows per-AU thresholds and the training time when a record holds them', () => {
    const richer = {
      ...MODEL,
      config: {
        ...RECORD,
        thresholds: { '4': 0.35 },
        trainingMs: 185_000,
        trainingRunsMs: [185_000],
      },
    }
    const f = Object.fromEntries(
      modelRecordFacts(richer, (id) => names[id]).map((x) => [x.key, x.value]),
    )
    expect(f.threshold).toBe('AU4 Brow Lowerer: 0.35')
    expect(f.trainingTime).toBe('3 min 5 s')
    expect(otherFacts(richer.config).map((x) => x.key)).toEqual(['futureField'])
  })

  it("says a resumed run's time is the sum of its runs", () => {
    expect(trainingTime({ trainingMs: 65_000, trainingRunsMs: [20_000, 45_000] })).toBe(
      '1 min 5 s (2 runs: resumed)',
    )
    expect(trainingTime({})).toBe('not recorded')
  })

  it('says "not recorded" for what an old record lacks, and lists unknown fields raw', () => {
    const old = modelRecordFacts(
      { ...MODEL, config: { datasetId: 3 }, metrics: null },
      (id) => names[id],
    )
    const f = Object.fromEntries(old.map((x) => [x.key, x.value]))
    expect(f.datasets).toBe('CASME II')
    // A record from before pooled datasets names one; the compare view lists it too.
    expect(datasetsWithClips({ datasetId: 3 }, (id) => names[id])).toBe('CASME II')
    expect(datasetsWithClips(RECORD, (id) => names[id])).toBe('CASME II (8 clips) + SAMM (4 clips)')
    expect(datasetsWithClips(null, (id) => names[id])).toBe('—')
    expect(f.clips).toBe('not recorded')
    expect(f.backend).toBe('not recorded')
    expect(otherFacts(RECORD)).toEqual([
      { key: 'futureField', label: 'futureField', value: '{"auThresholds":"from #16"}' },
    ])
  })
})
