/**
 * The feature difference of one frame, block by block, on a face crop cut into grid × grid
 * blocks (Moilanen et al. 2014's frame split). Moilanen compare LBP histograms by χ²; on
 * our measurements a histogram is nearly blind to a 1–2 px warp inside a block (the codes
 * move, their counts stay), so the feature here is the block's appearance itself: the crop
 * smoothed by a 3×3 box (sensor noise down 3×), compared pixel by pixel.
 */

/** Smooths a side × side crop with a 3×3 box into `out`; the 1-px border is copied. */
export function boxBlur3(crop: Float32Array, side: number, out: Float32Array): Float32Array {
  out.set(crop)
  for (let y = 1; y < side - 1; y++) {
    for (let x = 1; x < side - 1; x++) {
      const p = y * side + x
      const up = p - side
      const down = p + side
      out[p] =
        (crop[up - 1] +
          crop[up] +
          crop[up + 1] +
          crop[p - 1] +
          crop[p] +
          crop[p + 1] +
          crop[down - 1] +
          crop[down] +
          crop[down + 1]) /
        9
    }
  }
  return out
}

/**
 * Per block, the mean squared difference between `current` and the mean of `before` and
 * `after` (pass one reference twice to compare with it alone), over the crop without its
 * 1-px border, which is split into grid × grid blocks of (side − 2) / grid pixels. With
 * `contrast`, also each block's variance in that mean reference (how much texture the block
 * has: referenceContrast).
 * Example: one 2×2 block (side 4, grid 1), current all 3, references 1 and 1 → 4.
 */
export function blockDifference(
  current: Float32Array,
  before: Float32Array,
  after: Float32Array,
  side: number,
  grid: number,
  out: Float32Array,
  contrast?: Float32Array,
): Float32Array {
  const block = (side - 2) / grid
  out.fill(0)
  for (let y = 1; y < side - 1; y++) {
    const row = Math.floor((y - 1) / block) * grid
    for (let x = 1; x < side - 1; x++) {
      const p = y * side + x
      const e = current[p] - (before[p] + after[p]) / 2
      out[row + Math.floor((x - 1) / block)] += e * e
    }
  }
  const pixels = block * block
  for (let b = 0; b < out.length; b++) out[b] /= pixels
  if (contrast) referenceContrast(before, after, side, grid, contrast)
  return out
}

/**
 * Per block, the variance of the mean of `before` and `after` over the block's pixels (same
 * blocks as blockDifference). Example: one 2×2 block of [0, 2, 0, 2] → mean 1, variance 1.
 */
export function referenceContrast(
  before: Float32Array,
  after: Float32Array,
  side: number,
  grid: number,
  out: Float32Array,
): Float32Array {
  const block = (side - 2) / grid
  const sums = new Float64Array(out.length)
  out.fill(0)
  for (let y = 1; y < side - 1; y++) {
    const row = Math.floor((y - 1) / block) * grid
    for (let x = 1; x < side - 1; x++) {
      const p = y * side + x
      const r = (before[p] + after[p]) / 2
      const b = row + Math.floor((x - 1) / block)
      sums[b] += r
      out[b] += r * r
    }
  }
  const pixels = block * block
  for (let b = 0; b < out.length; b++) {
    const mean = sums[b] / pixels
    out[b] = Math.max(0, out[b] / pixels - mean * mean)
  }
  return out
}

/** The frame's difference value and how much of it the eye blocks carry. */
export interface TopBlocks {
  /** Mean of the `count` largest block differences. */
  value: number
  /** Share of those largest differences' sum that lies in `eyeBlocks`, 0–1 (0 when all are 0). */
  eyeShare: number
  /**
   * With `contrast`: the eye blocks among the largest, their differences' sum over their
   * reference variances' sum (0 when none): how much of the eyes' own texture changed.
   */
  eyeChange: number
}

/**
 * Moilanen's frame value: the mean of the `count` largest block differences, so a movement
 * in a few blocks is not averaged away by the still rest of the face.
 * Example: differences [4, 1, 3, 2], count 2 → (4 + 3) / 2 = 3.5.
 */
export function topBlocks(
  differences: Float32Array,
  count: number,
  eyeBlocks: ReadonlySet<number>,
  order: Uint16Array,
  contrast?: Float32Array,
): TopBlocks {
  for (let i = 0; i < order.length; i++) order[i] = i
  order.sort((a, b) => differences[b] - differences[a])
  let sum = 0
  let eye = 0
  let eyeContrast = 0
  for (let i = 0; i < count; i++) {
    const d = differences[order[i]]
    sum += d
    if (!eyeBlocks.has(order[i])) continue
    eye += d
    eyeContrast += contrast ? contrast[order[i]] : 0
  }
  return {
    value: sum / count,
    eyeShare: sum > 0 ? eye / sum : 0,
    eyeChange: eyeContrast > 0 ? eye / eyeContrast : 0,
  }
}
