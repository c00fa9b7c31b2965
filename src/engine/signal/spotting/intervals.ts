import type { FeatureCurves } from './feature-curves'
import type { SpottingFrames, SpottingSettings } from './settings'

/** A spotted interval: 0-based frame numbers, the score and what it looks like. */
export interface SpottedInterval {
  onset: number
  apex: number
  offset: number
  /**
   * How far the peak's contrast stands above the recording's noise, in robust standard
   * deviations of the background (backgroundSpread: the frames without movement):
   * (C(peak) − median) / (1.4826 · MAD). Spotted intervals have ≥ threshold.
   */
  score: number
  kind: 'micro' | 'macro'
}

/**
 * Moilanen's contrast: C(t) = near(t) − ½ (near(t − k) + near(t + k)), neighbours clamped at
 * the ends (Moilanen then sets negative values to 0; pickPeaks only looks above a positive
 * threshold, and the noise is measured on the signed values). A movement as long as the
 * window peaks; slow changes (lighting, drift the tracker left) and long expressions cancel.
 * Example: near = [0, 0, 4, 0, 0], k = 2 → C = [−2, 0, 4, 0, −2].
 */
export function contrastCurve(near: Float32Array, k: number): Float32Array {
  const n = near.length
  const out = new Float32Array(n)
  for (let t = 0; t < n; t++) {
    out[t] = near[t] - (near[Math.max(0, t - k)] + near[Math.min(n - 1, t + k)]) / 2
  }
  return out
}

/** Median and MAD (median absolute deviation) of a curve. */
export function robustSpread(values: Float32Array): { median: number; mad: number } {
  if (values.length === 0) return { median: 0, mad: 0 }
  const median = medianOf(Float32Array.from(values))
  const deviations = values.map((v) => Math.abs(v - median))
  return { median, mad: medianOf(deviations) }
}

function medianOf(values: Float32Array): number {
  values.sort()
  const mid = values.length >> 1
  return values.length % 2 ? values[mid] : (values[mid - 1] + values[mid]) / 2
}

/** The robust z of each value against a spread: (v − median) / (1.4826 · MAD), MAD floored to avoid ÷0. */
function scoresAgainst(
  values: Float32Array,
  spread: { median: number; mad: number },
): Float32Array {
  const { median, mad } = spread
  const sigma = 1.4826 * Math.max(mad, 1e-6 * Math.max(Math.abs(median), 1e-6))
  return values.map((v) => (v - median) / sigma)
}

/** Rounds of clipping in backgroundSpread at most; it settles in three or four. */
const CLIP_ROUNDS = 8
/** Deviations beyond this many robust σ are taken for movement, not noise. */
const CLIP_SIGMAS = 3
/** Clipping stops rather than leave fewer than this share of the frames to measure. */
const MIN_BACKGROUND_SHARE = 0.2

/**
 * Median and MAD of the curve's background, the frames without movement. The MAD of a whole
 * recording is inflated by its movements (with a blink or an expression every few seconds,
 * a movement's peak and side lobes cover most frames: 6× the background's MAD on our
 * synthetic recordings), which hid weak micro-expressions below the threshold. So values
 * beyond CLIP_SIGMAS robust σ are left out and median and MAD measured again, until they
 * settle: iterative κσ-clipping, the usual background estimate of source detection (Bertin
 * & Arnouts, "SExtractor: software for source extraction", A&AS 117, 1996).
 * Example: [0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 50, 60]: median 1 and MAD 1 over all; 50 and 60
 * lie beyond 3 · 1.4826 of it and are left out, the rest gives median 0.5, MAD 0.5, which
 * leaves out nothing more.
 */
export function backgroundSpread(values: Float32Array): { median: number; mad: number } {
  let spread = robustSpread(values)
  for (let round = 0; round < CLIP_ROUNDS; round++) {
    const limit = CLIP_SIGMAS * 1.4826 * spread.mad
    const background = values.filter((v) => Math.abs(v - spread.median) <= limit)
    if (background.length < MIN_BACKGROUND_SHARE * values.length) break
    const next = robustSpread(background)
    if (next.median === spread.median && next.mad === spread.mad) break
    spread = next
  }
  return spread
}

/**
 * The score of each frame: how many noise deviations it stands above the background,
 * (v − median) / (1.4826 · MAD) with the median and MAD of backgroundSpread.
 */
export function backgroundScores(values: Float32Array): Float32Array {
  return scoresAgainst(values, backgroundSpread(values))
}

/**
 * Peaks of `scores` at or above `threshold`, strongest first kept, none within `distance`
 * frames of a stronger one (non-maximum suppression). Returns frame numbers in time order.
 */
export function pickPeaks(scores: Float32Array, threshold: number, distance: number): number[] {
  const candidates: number[] = []
  for (let t = 0; t < scores.length; t++) {
    const s = scores[t]
    if (s < threshold) continue
    if ((t > 0 && scores[t - 1] > s) || (t < scores.length - 1 && scores[t + 1] > s)) continue
    candidates.push(t)
  }
  candidates.sort((a, b) => scores[b] - scores[a])
  const kept: number[] = []
  for (const t of candidates) {
    if (kept.every((u) => Math.abs(u - t) > distance)) kept.push(t)
  }
  return kept.sort((a, b) => a - b)
}

/**
 * The extent of the event around `peak` on the `far` curve: its apex is the highest frame
 * within ±`reach`, and onset and offset are the last frames on either side, within
 * ±`reach` of the apex, still above floor + fraction · (far(apex) − floor).
 */
export function eventExtent(
  far: Float32Array,
  peak: number,
  reach: number,
  floor: number,
  fraction: number,
): { onset: number; apex: number; offset: number } {
  const last = far.length - 1
  let apex = peak
  for (let t = Math.max(0, peak - reach); t <= Math.min(last, peak + reach); t++) {
    if (far[t] > far[apex]) apex = t
  }
  const level = floor + fraction * (far[apex] - floor)
  let onset = apex
  while (onset > Math.max(0, apex - reach) && far[onset - 1] > level) onset -= 1
  let offset = apex
  while (offset < Math.min(last, apex + reach) && far[offset + 1] > level) offset += 1
  return { onset, apex, offset }
}

/**
 * Turns the curves into spotted intervals. Peaks of the contrast's background score above
 * the threshold are movements. Blinks (isBlink) are dropped; a movement after which the face
 * comes back (net change below returnRatio of its height) and that lasts between minEvent and
 * maxMicro is a micro-expression; the others are edges of held expressions: two edges at most
 * macroPair apart make one macro-expression.
 */
export function spotIntervals(
  curves: FeatureCurves,
  settings: SpottingSettings,
  frames: SpottingFrames,
): SpottedInterval[] {
  const scores = backgroundScores(contrastCurve(curves.near, frames.k))
  const floorFar = robustSpread(curves.far).median
  const floorNet = robustSpread(curves.net).median
  const micro: SpottedInterval[] = []
  const edges: { frame: number; score: number }[] = []
  for (const peak of pickPeaks(scores, settings.threshold, frames.k)) {
    const extent = eventExtent(curves.far, peak, frames.extent, floorFar, settings.extentFraction)
    // A blink's echoes (frames ±k from it compare with it) peak too; their extent is the blink.
    const from = Math.min(peak, extent.onset)
    if (isBlink(curves, from, Math.max(peak, extent.offset), settings)) continue
    const height = curves.far[extent.apex] - floorFar
    const returned = curves.net[extent.apex] - floorNet < settings.returnRatio * height
    const length = extent.offset - extent.onset + 1
    if (returned && length <= frames.maxMicro) {
      if (length >= frames.minEvent) micro.push({ ...extent, score: scores[peak], kind: 'micro' })
    } else {
      edges.push({ frame: peak, score: scores[peak] })
    }
  }
  return distinctExtents([...micro, ...macroFromEdges(edges, frames, curves.near.length)])
}

/**
 * The intervals in onset order, one per extent, in one pass over every interval spotted:
 * intervals with the same onset and offset are one candidate for a coder (and the stored clip
 * is named by its extent); the highest score is kept (the first of equal scores). This removes
 * each kind of duplicate the spotter makes:
 * - peaks more than k apart (a movement's rise and fall, or an echo) that lead to the same
 *   apex: eventExtent derives onset and offset from the apex alone, so they share the extent;
 * - peaks of one movement that reach its extent by different apexes;
 * - a micro- and a macro-expression over the same frames.
 * Intervals that share an apex but not an extent (a micro-expression inside a macro-expression)
 * are different candidates and both stay.
 */
export function distinctExtents(intervals: readonly SpottedInterval[]): SpottedInterval[] {
  const byExtent = new Map<string, SpottedInterval>()
  for (const interval of intervals) {
    const key = `${interval.onset}-${interval.offset}`
    const kept = byExtent.get(key)
    if (!kept || interval.score > kept.score) byExtent.set(key, interval)
  }
  return [...byExtent.values()].sort((a, b) => a.onset - b.onset || a.offset - b.offset)
}

/**
 * A blink: at some frame from `from` to `to` (a movement's peak and extent) the largest blocks
 * lie in the eye row (eye ≥ blinkShare) and change by blinkChange of their texture or more (a
 * lid covering the eye). A lid tightener (AU 7) also lies in the eye row but moves the lid by
 * a pixel or two, far below.
 */
export function isBlink(
  curves: FeatureCurves,
  from: number,
  to: number,
  settings: SpottingSettings,
): boolean {
  for (let t = from; t <= to; t++) {
    if (curves.eye[t] >= settings.blinkShare && curves.eyeChange[t] >= settings.blinkChange) {
      return true
    }
  }
  return false
}

/** Pairs edges of held expressions into macro-expressions; a lone edge stands for ±L. */
function macroFromEdges(
  edges: { frame: number; score: number }[],
  frames: SpottingFrames,
  frameCount: number,
): SpottedInterval[] {
  const out: SpottedInterval[] = []
  for (let i = 0; i < edges.length; i++) {
    const start = edges[i]
    const end = edges[i + 1]
    const paired = end !== undefined && end.frame - start.frame <= frames.macroPair
    const last = paired ? end : start
    if (paired) i += 1
    out.push({
      onset: Math.max(0, start.frame - frames.k),
      apex: paired ? Math.round((start.frame + last.frame) / 2) : start.frame,
      offset: Math.min(frameCount - 1, last.frame + frames.k),
      score: Math.max(start.score, last.score),
      kind: 'macro',
    })
  }
  return out
}
