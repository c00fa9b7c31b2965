/**
 * The MEGC spotting protocol (Micro-Expression Grand Challenge 2019–2023, after Tran et al.,
 * "A new benchmark on the spotting of micro-expressions", and Li et al., "MEGC2020 – the third
 * facial micro-expression grand challenge"): a spotted interval is a true positive when its
 * intersection over union with a coded interval is at least 0.5; each coded interval is
 * matched at most once; precision, recall and F1 are taken over all intervals.
 */

/** A closed interval of 0-based frame numbers: onset and offset both belong to it. */
export interface FrameInterval {
  onset: number
  offset: number
}

/** The protocol's counts and scores, plus how much footage the spotted intervals cover. */
export interface SpottingScore {
  truePositives: number
  falsePositives: number
  falseNegatives: number
  /** TP / (TP + FP); 0 when nothing was spotted. */
  precision: number
  /** TP / (TP + FN); 0 when nothing was coded. */
  recall: number
  /** 2·TP / (2·TP + FP + FN); 0 when both are empty. */
  f1: number
  /** Frames inside any spotted interval / frames of the recording: what a coder still watches. */
  shareToWatch: number
}

/** Frames in a closed interval: offset − onset + 1. */
export function intervalLength(interval: FrameInterval): number {
  return Math.max(0, interval.offset - interval.onset + 1)
}

/**
 * Intersection over union of two closed frame intervals: |A ∩ B| / |A ∪ B|, counted in frames.
 * Example: [10, 19] and [15, 24] share 5 of 15 frames: 1/3.
 */
export function intervalIou(a: FrameInterval, b: FrameInterval): number {
  const overlap = Math.max(0, Math.min(a.offset, b.offset) - Math.max(a.onset, b.onset) + 1)
  const union = intervalLength(a) + intervalLength(b) - overlap
  return union === 0 ? 0 : overlap / union
}

/**
 * Scores spotted intervals against coded ones with the MEGC rule (IoU ≥ `threshold`, 0.5 by
 * default). Matching is greedy by IoU, highest first, one coded interval per spotted one, so
 * two spotted intervals on one expression give one TP and one FP.
 * @param frameCount frames of the recording, for the share of footage to watch
 */
export function scoreSpotting(
  coded: readonly FrameInterval[],
  spotted: readonly FrameInterval[],
  frameCount: number,
  threshold = 0.5,
): SpottingScore {
  const pairs: { c: number; s: number; iou: number }[] = []
  coded.forEach((c, ci) =>
    spotted.forEach((s, si) => {
      const iou = intervalIou(c, s)
      if (iou >= threshold) pairs.push({ c: ci, s: si, iou })
    }),
  )
  pairs.sort((a, b) => b.iou - a.iou)
  const usedCoded = new Set<number>()
  const usedSpotted = new Set<number>()
  for (const pair of pairs) {
    if (usedCoded.has(pair.c) || usedSpotted.has(pair.s)) continue
    usedCoded.add(pair.c)
    usedSpotted.add(pair.s)
  }
  const tp = usedCoded.size
  const fp = spotted.length - tp
  const fn = coded.length - tp
  return {
    truePositives: tp,
    falsePositives: fp,
    falseNegatives: fn,
    precision: spotted.length === 0 ? 0 : tp / spotted.length,
    recall: coded.length === 0 ? 0 : tp / coded.length,
    f1: 2 * tp + fp + fn === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn),
    shareToWatch: frameCount > 0 ? coveredFrames(spotted, frameCount) / frameCount : 0,
  }
}

/** Frames of [0, frameCount) inside at least one interval. */
export function coveredFrames(intervals: readonly FrameInterval[], frameCount: number): number {
  const sorted = intervals
    .map((i) => ({ onset: Math.max(0, i.onset), offset: Math.min(frameCount - 1, i.offset) }))
    .filter((i) => i.offset >= i.onset)
    .sort((a, b) => a.onset - b.onset)
  let covered = 0
  let end = -1
  for (const { onset, offset } of sorted) {
    if (offset <= end) continue
    covered += offset - Math.max(onset, end + 1) + 1
    end = offset
  }
  return covered
}
