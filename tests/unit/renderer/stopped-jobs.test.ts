import { describe, expect, it } from 'vitest'
import type { Job } from '../../../src/shared/domain'
import { interruptedAtStart } from '../../../src/renderer/src/lib/stopped-jobs'
import { jobRecord } from '../../helpers/job'

/** A job with an id, a status and when it finished. */
function job(id: number, status: Job['status'], finishedAt: string | null): Job {
  return { ...jobRecord('ml.train', status, null), id, finishedAt }
}

describe('interruptedAtStart', () => {
  const start = '2025-03-04T10:00:00.000Z'
  it('keeps the jobs this start interrupted, not those of earlier starts', () => {
    const jobs = [
      // Marked at this start (same millisecond, and a little later).
      job(7, 'interrupted', '2025-03-04T10:00:00.000Z'),
      job(6, 'interrupted', '2025-03-04T10:00:00.250Z'),
      // Interrupted by yesterday's start: reported then.
      job(5, 'interrupted', '2025-03-03T09:12:00.000Z'),
      // A millisecond before this start.
      job(4, 'interrupted', '2025-03-04T09:59:59.999Z'),
      // Other statuses, even when they finished after the start.
      job(3, 'cancelled', '2025-03-04T10:05:00.000Z'),
      job(2, 'running', null),
      job(1, 'interrupted', null),
    ]
    expect(interruptedAtStart(jobs, start).map((j) => j.id)).toEqual([7, 6])
  })
  it('shows nothing when the start time cannot be read', () => {
    expect(interruptedAtStart([job(1, 'interrupted', start)], 'not a time')).toEqual([])
  })
})
