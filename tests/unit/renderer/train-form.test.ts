import { describe, expect, it } from 'vitest'
import { api } from '../../../src/shared/api'
import {
  buildRequest,
  datasetNames,
  defaultForm,
  effectiveEpochs,
  formFromJob,
  jobDatasetIds,
  parseInteger,
  resolvedTrainMode,
  toggleDataset,
} from '../../../src/renderer/src/train/train-form'

describe('parseInteger', () => {
  it('reads whole numbers in range and names what is wrong', () => {
    expect(parseInteger(' 4 ', 2, 20, false)).toEqual({ ok: true, value: 4 })
    expect(parseInteger('', 2, 20, true)).toEqual({ ok: true, value: undefined })
    expect(parseInteger('', 2, 20, false)).toEqual({ ok: false, message: 'is required' })
    expect(parseInteger('2.5', 2, 20, false)).toMatchObject({ ok: false })
    expect(parseInteger('1', 2, 20, false)).toEqual({ ok: false, message: 'must be from 2 to 20' })
  })
})

describe('buildRequest', () => {
  it('builds an ml.train request the contract accepts', () => {
    const form = {
      ...defaultForm(),
      datasetIds: [3, 5],
      preset: 'tiny' as const,
      folds: '2',
      epochs: '2',
      minPositives: '2',
      backend: 'wasm' as const,
      name: ' smoke ',
    }
    const built = buildRequest(form)
    expect(built).toMatchObject({ ok: true, method: 'ml.train' })
    if (!built.ok || built.method !== 'ml.train') throw new Error('expected ml.train')
    expect(api['ml.train'].input.parse(built.input)).toEqual({
      datasetIds: [3, 5],
      preset: 'tiny',
      folds: 2,
      seed: 0,
      epochs: 2,
      minPositives: 2,
      backend: 'wasm',
      variant: 'iicl',
      name: 'smoke',
    })
  })
  it('builds an ml.ablation request with the variants in the paper’s order', () => {
    const built = buildRequest({
      ...defaultForm(),
      datasetIds: [1],
      mode: 'ablation',
      variants: ['iicl', 'baseline'],
      weightsFile: '/data/senet50.h5',
      coderId: 7,
    })
    if (!built.ok || built.method !== 'ml.ablation') throw new Error('expected ml.ablation')
    expect(api['ml.ablation'].input.parse(built.input)).toMatchObject({
      variants: ['baseline', 'iicl'],
      weightsFile: '/data/senet50.h5',
      coderId: 7,
      minPositives: 15,
    })
  })
  it('names the field that is wrong', () => {
    const base = { ...defaultForm(), datasetIds: [1] }
    expect(buildRequest({ ...base, datasetIds: [] })).toEqual({
      ok: false,
      field: 'datasetIds',
      message: 'Choose at least one dataset.',
    })
    expect(buildRequest({ ...base, folds: '1' })).toEqual({
      ok: false,
      field: 'folds',
      message: 'Folds must be from 2 to 20.',
    })
    expect(buildRequest({ ...base, minPositives: 'x' })).toMatchObject({ field: 'minPositives' })
    expect(buildRequest({ ...base, weightsFile: 'w.h5' })).toMatchObject({ field: 'weightsFile' })
    expect(buildRequest({ ...base, weightsFile: '/w.bin' })).toMatchObject({ field: 'weightsFile' })
    expect(buildRequest({ ...base, mode: 'ablation', variants: [] })).toMatchObject({
      field: 'variants',
    })
  })
})

describe('effectiveEpochs', () => {
  it('is the field’s number, else the preset’s; a linear probe’s one head fit', () => {
    expect(effectiveEpochs({ ...defaultForm(), preset: 'tiny' })).toBe(6)
    expect(effectiveEpochs({ ...defaultForm(), preset: 'tiny', epochs: '2' })).toBe(2)
    expect(effectiveEpochs({ ...defaultForm(), preset: 'face', epochs: '2' })).toBe(1)
    const fineTune = { ...defaultForm(), preset: 'face' as const, trainMode: 'fine-tune' as const }
    expect(effectiveEpochs(fineTune)).toBe(3)
  })
})

describe('the pretrained start', () => {
  it('defaults to the face preset as a linear probe; a probe without pretrained weights is refused, naming the field', () => {
    const form = { ...defaultForm(), datasetIds: [1] }
    expect(form.preset).toBe('face')
    expect(resolvedTrainMode(form)).toBe('linear-probe')
    const probeFromScratch = buildRequest({ ...form, preset: 'laptop', trainMode: 'linear-probe' })
    expect(probeFromScratch).toMatchObject({ ok: false, field: 'trainMode' })
    const withWeights = buildRequest({
      ...form,
      preset: 'paper',
      trainMode: 'linear-probe',
      weightsFile: '/data/senet50.h5',
    })
    if (!withWeights.ok) throw new Error('expected a request')
    expect(api['ml.train'].input.parse(withWeights.input)).toMatchObject({
      preset: 'paper',
      trainMode: 'linear-probe',
    })
  })
})

describe('formFromJob', () => {
  it('fills the form from an ml.train job’s stored input (as the engine writes it)', () => {
    const input = {
      datasetIds: [4, 2],
      preset: 'tiny',
      variant: 'baseline',
      folds: 2,
      seed: 7,
      overrides: { epochs: 3, batchSize: 2 },
      weightsFile: null,
      outDir: '/lib.models/x',
      name: 'smoke',
      coder: 9,
      minPositives: 2,
      finalModel: true,
      register: true,
      backend: 'wasm',
    }
    expect(formFromJob('ml.train', input, defaultForm())).toEqual({
      ...defaultForm(),
      datasetIds: [4, 2],
      coderId: 9,
      preset: 'tiny',
      mode: 'train',
      variant: 'baseline',
      folds: '2',
      epochs: '3',
      seed: '7',
      batchSize: '2',
      minPositives: '2',
      weightsFile: '',
      backend: 'wasm',
      name: 'smoke',
    })
  })
  it('reads an ablation’s variants, and leaves the form alone for input it cannot read', () => {
    const form = formFromJob(
      'ml.ablation',
      { datasetIds: [1], preset: 'laptop', variants: ['iicl', 'cl'], folds: 4, overrides: {} },
      defaultForm(),
    )
    expect(form.mode).toBe('ablation')
    expect(form.variants).toEqual(['iicl', 'cl'])
    expect(form.epochs).toBe('')
    expect(formFromJob('ml.train', null, defaultForm())).toEqual(defaultForm())
    expect(formFromJob('ml.train', { preset: 'huge' }, defaultForm()).preset).toBe('face')
  })
  it('reads the train mode a job asked for', () => {
    const input = { preset: 'face', overrides: { trainMode: 'fine-tune' } }
    expect(formFromJob('ml.train', input, defaultForm()).trainMode).toBe('fine-tune')
    expect(formFromJob('ml.train', { preset: 'face' }, defaultForm()).trainMode).toBe('')
  })
})

describe('the datasets of a run', () => {
  it('tick and untick in the order chosen', () => {
    expect(toggleDataset([], 3)).toEqual([3])
    expect(toggleDataset([3], 1)).toEqual([3, 1])
    expect(toggleDataset([3, 1, 2], 1)).toEqual([3, 2])
  })
  it('are read from a job’s input and named', () => {
    expect(jobDatasetIds({ datasetIds: [2, 1] })).toEqual([2, 1])
    expect(jobDatasetIds({ datasetIds: [] })).toBeNull()
    expect(jobDatasetIds({ datasetIds: ['1'] })).toBeNull()
    expect(jobDatasetIds(null)).toBeNull()
    const datasets = [
      { id: 1, name: 'CASME II' },
      { id: 2, name: 'SAMM' },
    ]
    expect(datasetNames([2, 1, 7], datasets)).toEqual(['SAMM', 'CASME II', 'dataset 7'])
  })
})
