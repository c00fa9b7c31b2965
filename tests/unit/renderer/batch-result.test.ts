import { describe, expect, it } from 'vitest'
import {
  pastBatches,
  readBatchResult,
  thresholdField,
} from '../../../src/renderer/src/batch/batch-result'

const result = {
  datasetId: 3,
  modelId: 1,
  clips: 6,
  csv: '/out/batch.csv',
  xlsx: '/out/batch.xlsx',
  participantsCsv: '/out/batch-participants.csv',
  dataset: 'lab',
  outDir: '/out',
  faceCropProblems: [{ clipId: 9, clip: 'p1/a', problem: 'No face was found' }],
}

describe('readBatchResult', () => {
  it('reads a batch job’s result', () => {
    expect(readBatchResult(result)).toEqual({
      ...result,
      faceCropProblems: [{ clip: 'p1/a', problem: 'No face was found' }],
    })
    // A batch asked for one threshold says so; the table is then read at it.
    expect(readBatchResult({ ...result, threshold: 0.4 })?.threshold).toBe(0.4)
    expect(readBatchResult(result)).not.toHaveProperty('threshold')
  })
  it('tolerates missing extras and refuses other shapes', () => {
    const { dataset: _d, outDir: _o, faceCropProblems: _f, participantsCsv: _p, ...bare } = result
    expect(readBatchResult(bare)).toMatchObject({
      // A batch of a version before the per-participant file.
      participantsCsv: null,
      dataset: null,
      outDir: null,
      faceCropProblems: [],
    })
    expect(readBatchResult({ ...result, csv: 3 })).toBeNull()
    expect(readBatchResult({ ...result, datasetId: 0 })).toBeNull()
    expect(readBatchResult('done')).toBeNull()
  })
})

describe('pastBatches', () => {
  it('keeps the succeeded batch jobs in order', () => {
    const job = (id: number, kind: string, status: string) => ({
      id,
      kind,
      status,
      result: status === 'succeeded' ? result : null,
      finishedAt: 't',
    })
    const past = pastBatches([
      job(5, 'batch.analyze', 'succeeded'),
      job(4, 'ml.predict', 'succeeded'),
      job(3, 'batch.analyze', 'failed'),
      job(2, 'batch.analyze', 'succeeded'),
    ])
    expect(past.map((p) => p.jobId)).toEqual([5, 2])
  })
})

describe('thresholdField', () => {
  it("reads empty as the model's own, a probability as one threshold, the rest as refused", () => {
    expect(thresholdField('')).toBeUndefined()
    expect(thresholdField('  ')).toBeUndefined()
    expect(thresholdField('0.35')).toBe(0.35)
    expect(thresholdField(' 1 ')).toBe(1)
    expect(thresholdField('0')).toBe(0)
    expect(thresholdField('1.2')).toBeNull()
    expect(thresholdField('-0.1')).toBeNull()
    expect(thresholdField('half')).toBeNull()
  })
})
