import type { Job } from '../../../shared/domain'

/**
 * What a screen reader is told about a job: one sentence per status, never the progress, so
 * the polite live region that holds it speaks only when the job starts, waits, finishes,
 * fails (with the reason), is cancelled or is interrupted, not at every progress report.
 * `what` names the job ('Training'). A failure of the UI's own call (starting, resuming,
 * cancelling) is not a status: JobProgress shows it as an alert. Empty when there is nothing
 * to say.
 */
export function jobAnnouncement(what: string, job: Pick<Job, 'status' | 'error'> | null): string {
  switch (job?.status) {
    case 'queued':
      return `${what} is waiting for another job to finish.`
    case 'running':
      return `${what} started.`
    case 'succeeded':
      return `${what} finished.`
    case 'failed':
      return `${what} failed: ${job.error?.message ?? 'no reason was given'}`
    case 'cancelled':
      return `${what} was cancelled.`
    case 'interrupted':
      return `${what} stopped when the app closed.`
    default:
      return ''
  }
}
