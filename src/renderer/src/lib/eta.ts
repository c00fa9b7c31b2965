/**
 * Time-left estimates for progress bars.
 *
 * Definition: with an anchor (t₀, d₀) taken when the job was first seen running at its
 * current pace and the latest report (t, d) of `total` units, the rate is
 * r = (d − d₀) / (t − t₀) units per ms and the time left is (total − d) / r. The anchor is
 * reset whenever `done` goes backwards (a resumed or restarted job) or `total` changes (the
 * job moved on to its next phase, e.g. from loading clips to training epochs, whose units
 * and pace differ), so time spent before a resume, while queued or in an earlier phase does
 * not count. The estimate is for the current phase. No estimate is given until some work
 * has been seen over at least `MIN_ELAPSED_MS`, since the first seconds (loading, warming
 * up) mislead.
 */

/** One progress observation: when, how many units were done, and of how many. */
export interface ProgressSample {
  time: number
  done: number
  total: number
}

/** Reports must span at least this long before an estimate is made. */
export const MIN_ELAPSED_MS = 3000

/**
 * The anchor to keep after a new report: the old one, or the report when it went backwards
 * or has another total (a new phase).
 */
export function nextAnchor(anchor: ProgressSample | null, report: ProgressSample): ProgressSample {
  const restart = anchor === null || report.done < anchor.done || report.total !== anchor.total
  return restart ? report : anchor
}

/** Milliseconds left, or null when there is not enough to go on (see the definition above). */
export function remainingMs(anchor: ProgressSample | null, latest: ProgressSample): number | null {
  const total = latest.total
  if (!anchor || total <= 0 || anchor.total !== total) return null
  const elapsed = latest.time - anchor.time
  const units = latest.done - anchor.done
  if (elapsed < MIN_ELAPSED_MS || units <= 0) return null
  return Math.max(0, ((total - latest.done) * elapsed) / units)
}

/** "about 40 s left", "about 3 min left", "about 1 h 20 min left". */
export function formatRemaining(ms: number): string {
  const s = Math.round(ms / 1000)
  if (s < 60) return `about ${Math.max(1, s)} s left`
  const min = Math.round(s / 60)
  if (min < 60) return `about ${min} min left`
  const h = Math.floor(min / 60)
  const rest = min % 60
  return rest === 0 ? `about ${h} h left` : `about ${h} h ${rest} min left`
}
