import type { Rng } from '../../datasets/synthetic/prng'
import { framesForSeconds } from '../../signal/time-scale'

/**
 * How far from the apex a close-to-apex frame may lie, in seconds: the paper's "three frames
 * before and after" at CASME II's 200 fps (15 ms), so footage at any rate gets the same span of
 * time rather than the same count of frames.
 */
export const CLOSE_TO_APEX_SECONDS = 3 / 200

/**
 * The close-to-apex radius in frames at `fps`: framesForSeconds(CLOSE_TO_APEX_SECONDS, fps),
 * never less than one frame. 3 at 200 fps, 2 at 100, 1 at 30 or 60.
 */
export function closeToApexRadius(fps: number): number {
  return framesForSeconds(CLOSE_TO_APEX_SECONDS, fps)
}

/** The frames a training sample of one clip can use, as absolute frame numbers. */
export interface KeyFrameSpan {
  onset: number
  apex: number
  /** First and last frame a close-to-apex frame may come from (clip or onset–offset bounds). */
  low: number
  high: number
}

/**
 * The close-to-apex candidates of a clip: apex − r … apex + r (r = `radius` frames, from
 * closeToApexRadius) clamped to [low, high], never
 * the apex itself, and only frames that exist when `available` is given (CASME II has gaps).
 * When that leaves nothing (a one-frame event), the nearest existing frame other than the
 * apex is used; a clip of one frame falls back to the apex.
 */
export function closeToApexCandidates(
  span: KeyFrameSpan,
  radius: number,
  available?: ReadonlySet<number>,
): number[] {
  const exists = (n: number) => available === undefined || available.has(n)
  const out: number[] = []
  for (let d = -radius; d <= radius; d++) {
    const n = span.apex + d
    if (d !== 0 && n >= span.low && n <= span.high && exists(n)) out.push(n)
  }
  if (out.length > 0) return out
  const others = available
    ? [...available].filter((n) => n !== span.apex)
    : [span.apex - 1, span.apex + 1].filter((n) => n >= span.low && n <= span.high)
  if (others.length === 0) return [span.apex]
  const distance = (n: number) => Math.abs(n - span.apex)
  const nearest = Math.min(...others.map(distance))
  return [others.filter((n) => distance(n) === nearest).sort((a, b) => a - b)[0]]
}

/** One close-to-apex frame drawn uniformly from the candidates. */
export function pickCloseToApex(candidates: readonly number[], rng: Rng): number {
  if (candidates.length === 0) throw new RangeError('no close-to-apex candidates')
  return rng.pick(candidates)
}

/** Every frame number training needs from a clip: onset, apex and the candidates, ascending. */
export function trainingFrameNumbers(span: KeyFrameSpan, candidates: readonly number[]): number[] {
  return [...new Set([span.onset, span.apex, ...candidates])].sort((a, b) => a - b)
}
