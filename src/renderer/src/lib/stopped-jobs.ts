import type { Job } from '../../../shared/domain'

/**
 * The jobs this engine found unfinished when it started (the app closed or crashed while
 * they ran): interrupted jobs that finished at or after `engineStartedAt`. The engine marks
 * them interrupted at start-up with finished_at = now, so jobs interrupted by an earlier
 * start (already reported then) are left out. Both times are ISO 8601.
 */
export function interruptedAtStart(jobs: readonly Job[], engineStartedAt: string): Job[] {
  const start = Date.parse(engineStartedAt)
  if (Number.isNaN(start)) return []
  return jobs.filter(
    (j) => j.status === 'interrupted' && j.finishedAt !== null && Date.parse(j.finishedAt) >= start,
  )
}
