import type { Job } from '../../src/shared/domain'

/** A job record as `jobs.get` answers it, for code that reads job results. */
export function jobRecord(kind: string, status: Job['status'], result: unknown): Job {
  return {
    id: 1,
    kind,
    status,
    input: {},
    progress: null,
    result,
    error: null,
    cancelRequested: false,
    createdAt: '',
    startedAt: null,
    finishedAt: null,
  }
}
