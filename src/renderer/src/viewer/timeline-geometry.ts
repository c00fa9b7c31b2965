/** Sizes and hit-testing of the timeline (no DOM: the painter and the tests share it). */

/** Heights in CSS pixels; the axis has two rows, frame numbers above times in ms. */
export const AXIS_HEIGHT = 30
export const LANE_HEIGHT = 14
/** Height of the apex-spotting curve's band, between the axis and the lanes. */
export const CURVE_HEIGHT = 40
/** Space below the last lane. */
const PADDING = 6

/** The timeline's height for a number of lanes, with or without the apex curve. */
export function timelineHeight(lanes: number, curve = false): number {
  return AXIS_HEIGHT + (curve ? CURVE_HEIGHT : 0) + Math.max(1, lanes) * LANE_HEIGHT + PADDING
}

/** The frame index under an x position (CSS pixels) on a timeline `width` wide. */
export function indexAt(x: number, width: number, count: number): number {
  if (count <= 1 || width <= 0) return 0
  return Math.max(0, Math.min(count - 1, Math.round((x / width) * (count - 1))))
}

/** Where the coders' lanes start, below the axis and the curve (when shown). */
export function lanesTop(curve = false): number {
  return AXIS_HEIGHT + (curve ? CURVE_HEIGHT : 0)
}

/**
 * The time of a frame in milliseconds from the clip's first frame: (number − first) × 1000 / fps,
 * so at 200 fps frame first + 1 is at 5 ms. Whole numbers are exact; others keep one decimal.
 */
export function frameMs(number: number, first: number, fps: number): number {
  return Math.round(((number - first) * 10_000) / fps) / 10
}
