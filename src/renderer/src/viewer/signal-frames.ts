/** The magnified view's frames and the apex curve, laid on the viewer's frames (no DOM). */
import type { ApexCurve, MagnifiedFrames } from '../../../shared/signal'

/** The apex-spotting score of each frame and the suggested apex, by frame index. */
export interface TimelineCurve {
  /** One score per frame of the timeline (null for a frame the curve does not cover). */
  scores: readonly (number | null)[]
  /** Index of the suggested apex, or −1. */
  apexIndex: number
}

/** The apex curve laid on the viewer's frames (by index): null where it has no score. */
export function timelineCurveOf(numbers: readonly number[], curve: ApexCurve): TimelineCurve {
  const scores = new Map(curve.numbers.map((n, i) => [n, curve.scores[i]]))
  return {
    scores: numbers.map((n) => scores.get(n) ?? null),
    apexIndex: numbers.indexOf(curve.apexFrame),
  }
}

/** The URL of each of the viewer's frames in the magnified view (null where not magnified). */
export function magnifiedUrls(
  numbers: readonly number[],
  magnified: MagnifiedFrames,
  urlOf: (key: string) => string,
): (string | null)[] {
  const keys = new Map(magnified.frames.map((f) => [f.number, f.key]))
  return numbers.map((n) => {
    const key = keys.get(n)
    return key === undefined ? null : urlOf(key)
  })
}
