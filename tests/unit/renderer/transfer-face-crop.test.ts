import { describe, expect, it } from 'vitest'
import type { Job } from '../../../src/shared/domain'
import { jobRecord } from '../../helpers/job'
import { faceCropOutcome } from '../../../src/renderer/src/transfer/face-crop-result'

const job = (status: Job['status'], result: unknown) => jobRecord('clips.faceCrop', status, result)

describe('faceCropOutcome', () => {
  it('counts the cropped clips and lists the others with their reason', () => {
    const result = {
      cropped: 1,
      results: [
        { clipId: 1, clip: 'sub01/EP01', crop: { x: 0, y: 0, width: 10, height: 10 } },
        { clipId: 2, clip: 'sub01/EP02', crop: null, problem: 'no face found' },
      ],
    }
    expect(faceCropOutcome(job('succeeded', result))).toEqual({
      cropped: 1,
      problems: [{ clip: 'sub01/EP02', problem: 'no face found' }],
    })
  })
  it('has nothing to say about a job that did not succeed or carries no result', () => {
    expect(faceCropOutcome(job('failed', { cropped: 1, results: [] }))).toBeNull()
    expect(faceCropOutcome(job('succeeded', null))).toBeNull()
    expect(faceCropOutcome(job('succeeded', { cropped: '1', results: [] }))).toBeNull()
    expect(faceCropOutcome(null)).toBeNull()
  })
})
