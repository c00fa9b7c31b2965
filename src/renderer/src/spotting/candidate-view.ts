import type { SpotCandidate, SpotFrames } from '../../../shared/spotting'

/**
 * The interval the coder works on: their own onset, apex and offset where they moved one,
 * the spotter's elsewhere (as the engine's `spotting.adjust` fills a first adjustment).
 */
export function workingFrames(candidate: SpotCandidate): SpotFrames {
  return { ...candidate.spotted, ...candidate.adjusted }
}

/**
 * Seconds from the recording's start to the start of an absolute frame: frame numbers are
 * 1-based (frame 1 starts at 0 s), so frame n starts at (n − 1) / fps.
 */
export function frameSeconds(frame: number, fps: number): number {
  return (frame - 1) / fps
}

/**
 * An interval's duration in seconds: it covers the frames onset … offset inclusive, so
 * (offset − onset + 1) / fps.
 */
export function intervalSeconds(frames: SpotFrames, fps: number): number {
  return (frames.offset - frames.onset + 1) / fps
}

/** A time as m:ss.sss (minutes only when the recording reaches them). */
export function formatClock(seconds: number): string {
  const minutes = Math.floor(seconds / 60)
  const rest = (seconds - minutes * 60).toFixed(3).padStart(6, '0')
  return minutes > 0 ? `${minutes}:${rest}` : `${(seconds - minutes * 60).toFixed(3)}`
}

/** Counts of a queue's decisions, for the header. */
export function decisionCounts(
  candidates: readonly SpotCandidate[],
): Record<SpotCandidate['status'], number> {
  const counts = { pending: 0, accepted: 0, rejected: 0 }
  for (const c of candidates) counts[c.status] += 1
  return counts
}

/** Index of the first pending candidate at or after `from` (wrapping), or `from` if none. */
export function nextPending(candidates: readonly SpotCandidate[], from: number): number {
  for (let i = 0; i < candidates.length; i++) {
    const at = (from + i) % candidates.length
    if (candidates[at].status === 'pending') return at
  }
  return from
}

/** Width of the interval strip's coordinate space (its SVG viewBox). */
export const STRIP_WIDTH = 1000

/** A span of the strip: where it starts and how wide it is, in strip units. */
export interface StripSpan {
  x: number
  width: number
}

/**
 * Where frames lie on a strip over the candidate's clip (`firstFrame` … `lastFrame`, each
 * frame an equal cell of STRIP_WIDTH / frames): an interval covers its frames' cells whole,
 * so frames a … b span from cell a's left edge to cell b's right edge.
 */
export function stripSpan(candidate: SpotCandidate, from: number, to: number): StripSpan {
  const cell = STRIP_WIDTH / (candidate.lastFrame - candidate.firstFrame + 1)
  return { x: (from - candidate.firstFrame) * cell, width: (to - from + 1) * cell }
}
