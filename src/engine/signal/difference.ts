/**
 * Difference images for the viewer: the signed change of a frame from the onset frame, and
 * a mapping of that change to displayable values.
 */
import { AppError } from '../../shared/errors'

/**
 * Signed difference frame − onset, value by value (any channel layout, same for both).
 * @param frame current frame
 * @param onset onset frame, same length
 * @param out destination of the same length; allocated when omitted
 * @returns the signed differences
 */
export function differenceImage(
  frame: Float32Array,
  onset: Float32Array,
  out = new Float32Array(frame.length),
): Float32Array {
  if (onset.length !== frame.length) {
    throw new AppError(
      'invalid_input',
      `the onset frame has ${onset.length} values, the frame has ${frame.length}`,
      { field: 'onset' },
    )
  }
  for (let i = 0; i < frame.length; i++) out[i] = frame[i] - onset[i]
  return out
}

/**
 * Maps signed differences to [0, 1] for display: 0.5 + 0.5·d/scale, clipped, so no change is
 * mid-grey, brighter means an increase and darker a decrease.
 * @param difference signed differences
 * @param scale difference shown as full white (and −scale as black); defaults to the largest
 *   absolute difference, or 1 when every difference is 0
 * @param out destination of the same length (may be `difference`); allocated when omitted
 * @returns display values in [0, 1]
 */
export function differenceToDisplay(
  difference: Float32Array,
  scale?: number,
  out = new Float32Array(difference.length),
): Float32Array {
  let s = scale
  if (s === undefined) {
    s = 0
    for (const d of difference) s = Math.max(s, Math.abs(d))
    if (s === 0) s = 1
  }
  if (!(s > 0) || !Number.isFinite(s)) {
    throw new AppError('invalid_input', `scale must be a number > 0, got ${scale}`, {
      field: 'scale',
    })
  }
  const k = 0.5 / s
  for (let i = 0; i < difference.length; i++) {
    const v = 0.5 + k * difference[i]
    out[i] = v < 0 ? 0 : v > 1 ? 1 : v
  }
  return out
}
