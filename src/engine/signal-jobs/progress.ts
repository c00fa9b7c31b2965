import type { JobProgress } from '../jobs/job-kind'

/** Progress is stored and pushed at most this often (a frame takes a few milliseconds). */
const PROGRESS_INTERVAL_MS = 100

/**
 * A progress reporter that passes on at most one update per interval, and always the first
 * and the last (done = total).
 */
export function throttledProgress(report: (progress: JobProgress) => void) {
  let last = 0
  return (progress: JobProgress): void => {
    const now = Date.now()
    if (last === 0 || now - last >= PROGRESS_INTERVAL_MS || progress.done >= progress.total) {
      last = now
      report(progress)
    }
  }
}
