/**
 * How the Review screen turns a model's probabilities into yes/no decisions, compares them
 * with a coder's labels, and orders the disagreements a coder works through.
 */

/** The model says an AU is present when its probability reaches the threshold: p ≥ t. */
export function modelSaysYes(probability: number, threshold: number): boolean {
  return probability >= threshold
}

/**
 * How sure the model is of its decision at threshold t, in [0, 1]: the distance of p from t
 * as a share of the way from t to the end p lies towards.
 *
 *   yes (p ≥ t): (p − t) / (1 − t)        no (p < t): (t − p) / t
 *
 * 0 at the threshold, 1 at p = 1 for a yes and at p = 0 for a no. Unlike |p − t| it treats
 * both sides alike when t is not 0.5 (at t = 0.8 a no at p = 0 and a yes at p = 1 are both
 * fully confident). A yes at t = 1 (only p = 1) counts as fully confident.
 */
export function decisionConfidence(probability: number, threshold: number): number {
  if (modelSaysYes(probability, threshold)) {
    return threshold >= 1 ? 1 : (probability - threshold) / (1 - threshold)
  }
  return (threshold - probability) / threshold
}

/**
 * One cell of the review table: both say yes, both say no, only the model says yes
 * ('model-only': the coder may have missed it), or only the coder does ('coder-only').
 */
export type Verdict = 'both-yes' | 'both-no' | 'model-only' | 'coder-only'

/** The verdict of the model's decision against the coder's label. */
export function verdict(modelYes: boolean, coderYes: boolean): Verdict {
  if (modelYes) return coderYes ? 'both-yes' : 'model-only'
  return coderYes ? 'coder-only' : 'both-no'
}

/** A clip's probabilities, AU number → probability. */
export interface ClipProbabilities {
  clipId: number
  probabilities: ReadonlyMap<number, number>
}

/** One place where the model and the coder disagree. */
export interface Disagreement {
  clipId: number
  au: number
  probability: number
  kind: 'model-only' | 'coder-only'
  /** decisionConfidence of the model's decision. */
  confidence: number
}

/** A disagreement's identity, stable across thresholds: `<clipId>:<au>`. */
export function disagreementKey(d: { clipId: number; au: number }): string {
  return `${d.clipId}:${d.au}`
}

/**
 * Every disagreement between the model (at each AU's threshold, `thresholdOf(au)`) and a
 * coder's labels (clip id → the AUs the coder scored; a clip missing from the map has none),
 * most confident first; ties keep the clips' order and then ascending AU. Only AUs the model
 * has a probability for count.
 */
export function disagreementQueue(
  clips: readonly ClipProbabilities[],
  coderAus: ReadonlyMap<number, ReadonlySet<number>>,
  thresholdOf: (au: number) => number,
): Disagreement[] {
  const found: { d: Disagreement; order: number }[] = []
  clips.forEach((clip, index) => {
    const coded = coderAus.get(clip.clipId)
    for (const [au, probability] of clip.probabilities) {
      const threshold = thresholdOf(au)
      const v = verdict(modelSaysYes(probability, threshold), coded?.has(au) ?? false)
      if (v !== 'model-only' && v !== 'coder-only') continue
      const confidence = decisionConfidence(probability, threshold)
      found.push({ d: { clipId: clip.clipId, au, probability, kind: v, confidence }, order: index })
    }
  })
  found.sort((a, b) => b.d.confidence - a.d.confidence || a.order - b.order || a.d.au - b.d.au)
  return found.map((f) => f.d)
}

/** The index `delta` steps from `index`, kept inside a list of `length` (−1 when empty). */
export function stepIndex(index: number, length: number, delta: number): number {
  if (length === 0) return -1
  return Math.min(length - 1, Math.max(0, index + delta))
}

/**
 * Where the cursor goes when the queue changes under it (an item accepted, a label edited):
 * on the item it was on if that is still there, else on the first item after it (in the old
 * order) that still is, else on the nearest one before it; −1 when the queue is empty.
 */
export function cursorAfterChange(
  before: readonly { clipId: number; au: number }[],
  index: number,
  after: readonly { clipId: number; au: number }[],
): number {
  if (after.length === 0) return -1
  const positions = new Map(after.map((d, i) => [disagreementKey(d), i]))
  for (let i = Math.max(0, index); i < before.length; i++) {
    const at = positions.get(disagreementKey(before[i]))
    if (at !== undefined) return at
  }
  for (let i = Math.min(index, before.length) - 1; i >= 0; i--) {
    const at = positions.get(disagreementKey(before[i]))
    if (at !== undefined) return at
  }
  return 0
}
