/**
 * Colour conversions: NTSC YIQ as MATLAB's rgb2ntsc / ntsc2rgb (the
 * MIT magnification code works in this space) and the luma used for grey faces.
 */

/** RGB → YIQ matrix of MATLAB's rgb2ntsc, row-major. */
export const RGB_TO_YIQ: readonly number[] = [
  0.299, 0.587, 0.114, 0.596, -0.274, -0.322, 0.211, -0.523, 0.312,
]

/** Inverse of a row-major 3×3 matrix (adjugate over determinant). */
function invert3(m: readonly number[]): number[] {
  const [a, b, c, d, e, f, g, h, i] = m
  const det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g)
  return [
    (e * i - f * h) / det,
    (c * h - b * i) / det,
    (b * f - c * e) / det,
    (f * g - d * i) / det,
    (a * i - c * g) / det,
    (c * d - a * f) / det,
    (d * h - e * g) / det,
    (b * g - a * h) / det,
    (a * e - b * d) / det,
  ]
}

/**
 * YIQ → RGB: the exact inverse of {@link RGB_TO_YIQ} (MATLAB's ntsc2rgb inverts the same
 * matrix), so a round trip is the identity up to rounding.
 */
export const YIQ_TO_RGB: readonly number[] = invert3(RGB_TO_YIQ)

/**
 * Applies a row-major 3×3 colour matrix in place to three planes (one per channel), e.g.
 * {@link RGB_TO_YIQ} to planes holding R, G, B.
 * @param m row-major 3×3 matrix
 * @param c0 first channel plane, overwritten with the first output channel
 * @param c1 second channel plane, same length
 * @param c2 third channel plane, same length
 */
export function transformPlanes(
  m: readonly number[],
  c0: Float64Array,
  c1: Float64Array,
  c2: Float64Array,
): void {
  const [a, b, c, d, e, f, g, h, i] = m
  for (let p = 0; p < c0.length; p++) {
    const x = c0[p]
    const y = c1[p]
    const z = c2[p]
    c0[p] = a * x + b * y + c * z
    c1[p] = d * x + e * y + f * z
    c2[p] = g * x + h * y + i * z
  }
}

/**
 * Grey version of a frame: the Y of YIQ (0.299 R + 0.587 G + 0.114 B, as MATLAB's rgb2gray)
 * for 3 channels; a 1-channel frame is returned as it is.
 * @param frame interleaved frame with `channels` values per pixel
 * @param channels 1 or 3
 * @param out destination with one value per pixel, used for 3 channels; allocated when omitted
 * @returns one grey value per pixel
 */
export function toGrey(
  frame: Float32Array,
  channels: 1 | 3,
  out = new Float32Array(channels === 1 ? 0 : frame.length / 3),
): Float32Array {
  if (channels === 1) return frame
  const [r, g, b] = RGB_TO_YIQ
  for (let p = 0, q = 0; q < out.length; p += 3, q++) {
    out[q] = r * frame[p] + g * frame[p + 1] + b * frame[p + 2]
  }
  return out
}
