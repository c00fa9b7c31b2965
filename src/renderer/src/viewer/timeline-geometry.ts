/** Sizes and hit-testing of the timeline (no DOM: the painter and the tests share it). */

/** Heights in CSS pixels. */
export const AXIS_HEIGHT = 18
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
