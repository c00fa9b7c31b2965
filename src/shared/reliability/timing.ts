/** Tooltip of the mean |Δ| columns (same words as the JSDoc of meanAbsoluteDifference). */
export const MEAN_DELTA_DEFINITION =
  'Mean |Δ| = the average, over clips where both coders set this marker, of how many frames apart they put it; in milliseconds it is frames × 1000 / frame rate. Frame-exact: no time window.'

/** Tooltip of the IoU columns (same words as the JSDoc of intervalIoU). */
export const IOU_DEFINITION =
  'Onset–offset IoU = frames inside both coders’ onset–offset spans, divided by frames inside either (both ends included). 1 = the same span, 0 = no frame in common. Averaged over clips where both coders set onset and offset.'

/** One coder's onset, apex and offset as absolute frame numbers (null: not set). */
export interface FrameMarkers {
  onset: number | null
  apex: number | null
  offset: number | null
}

/** A distance between two coders' markers, in frames and in milliseconds. */
export interface TimingDelta {
  frames: number
  ms: number
}

/** Frames to milliseconds at a frame rate: frames × 1000 / fps. */
export function framesToMs(frames: number, fps: number): number {
  return (frames * 1000) / fps
}

/**
 * The overlap of two coders' onset–offset spans: |A ∩ B| / |A ∪ B| counted in frames with both
 * ends included (onset 10, offset 19 spans 10 frames). Null unless both set onset and offset;
 * a span whose offset comes before its onset counts as empty.
 */
export function intervalIoU(a: FrameMarkers, b: FrameMarkers): number | null {
  if (a.onset === null || a.offset === null || b.onset === null || b.offset === null) return null
  const lengthA = Math.max(0, a.offset - a.onset + 1)
  const lengthB = Math.max(0, b.offset - b.onset + 1)
  const both = Math.max(0, Math.min(a.offset, b.offset) - Math.max(a.onset, b.onset) + 1)
  const either = lengthA + lengthB - both
  return either === 0 ? null : both / either
}

/**
 * The mean absolute difference of pairs of frame numbers (one pair per clip, with the clip's
 * frame rate), in frames and in milliseconds; pairs where either side is null are skipped.
 * Null when no pair is complete.
 */
export function meanAbsoluteDifference(
  pairs: readonly { a: number | null; b: number | null; fps: number }[],
): TimingDelta | null {
  let frames = 0
  let ms = 0
  let count = 0
  for (const { a, b, fps } of pairs) {
    if (a === null || b === null) continue
    frames += Math.abs(a - b)
    ms += framesToMs(Math.abs(a - b), fps)
    count++
  }
  return count === 0 ? null : { frames: frames / count, ms: ms / count }
}
