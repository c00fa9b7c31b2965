import { describe, expect, it } from 'vitest'
import { jobAnnouncement } from '../../../src/renderer/src/lib/job-announcement'

describe('jobAnnouncement', () => {
  it('says one sentence per status', () => {
    const say = (status: Parameters<typeof jobAnnouncement>[1]) =>
      jobAnnouncement('Training', status)
    expect(say(null)).toBe('')
    expect(say({ status: 'queued', error: null })).toBe(
      'Training is waiting for another job to finish.',
    )
    expect(say({ status: 'running', error: null })).toBe('Training started.')
    expect(say({ status: 'succeeded', error: null })).toBe('Training finished.')
    expect(say({ status: 'failed', error: { code: 'X', message: 'No clip has frames.' } })).toBe(
      'Training failed: No clip has frames.',
    )
    expect(say({ status: 'failed', error: null })).toBe('Training failed: no reason was given')
    expect(say({ status: 'cancelled', error: null })).toBe('Training was cancelled.')
    expect(say({ status: 'interrupted', error: null })).toBe(
      'Training stopped when the app closed.',
    )
  })
})
