/**
 * Gaussian and Laplacian pyramids with the binomial-5 filter [1 4 6 4 1]/16, as
 * matlabPyrTools' buildLpyr / reconLpyr used by the MIT magnification code.
 *
 * Borders: reflection about the edge sample without repeating it (…x2 x1 | x0 x1 x2…),
 * matlabPyrTools' default 'reflect1' (OpenCV's BORDER_REFLECT_101). Reducing keeps the
 * samples 0, 2, 4, … of the filtered signal, so a level of n samples has ceil(n/2) below
 * it. Expanding inserts zeros between the coarse samples, reflects that signal the same way
 * and filters it with 2·[1 4 6 4 1]/16 per axis. matlabPyrTools scales its filter by √2 in
 * both directions instead; that only rescales the band values, which the linear filtering
 * and the collapse undo, so magnified output is the same.
 *
 * Everything works on planes (one channel, row-major) in preallocated buffers; the only
 * per-call state is the caller's scratch buffer.
 */

/** Width and height of one pyramid level. */
export interface LevelSize {
  width: number
  height: number
}

/** Length of the binomial filter; no level smaller than this is reduced. */
const FILTER_LENGTH = 5

/** Reflects an index into [0, n) about the end samples (…2 1 | 0 1 2 … n-1 | n-2…). */
function reflect(i: number, n: number): number {
  if (n === 1) return 0
  const period = 2 * (n - 1)
  let j = i % period
  if (j < 0) j += period
  return j < n ? j : period - j
}

/**
 * Index of coarse sample j (possibly -1 or m) as seen by the expand filter of a level with
 * n samples: the zero-inserted signal reflects about its first sample, and about its last,
 * which is a coarse sample when n is odd and an inserted zero when n is even.
 */
function expandIndex(j: number, m: number, n: number): number {
  if (m === 1) return 0
  if (j < 0) return -j
  if (j < m) return j
  return n % 2 === 1 ? 2 * (m - 1) - j : 2 * m - 1 - j
}

/**
 * Number of levels matlabPyrTools' buildLpyr(im, 'auto') makes: 1 + the number of times
 * both sides can be halved (rounding down) while staying at least as long as the filter.
 * @param width image width
 * @param height image height
 * @returns level count including the full-resolution band and the low-pass residual
 */
export function pyramidLevelCount(width: number, height: number): number {
  let levels = 1
  let w = width
  let h = height
  while (w >= FILTER_LENGTH && h >= FILTER_LENGTH) {
    levels++
    w = Math.floor(w / 2)
    h = Math.floor(h / 2)
  }
  return levels
}

/**
 * Sizes of the levels of a pyramid, finest first; each is ceil(half) of the one above.
 * @param width width of level 0
 * @param height height of level 0
 * @param levels number of levels
 * @returns one size per level
 */
export function pyramidSizes(width: number, height: number, levels: number): LevelSize[] {
  const sizes: LevelSize[] = []
  let w = width
  let h = height
  for (let l = 0; l < levels; l++) {
    sizes.push({ width: w, height: h })
    w = (w + 1) >> 1
    h = (h + 1) >> 1
  }
  return sizes
}

/**
 * Scratch length the reduce and expand functions need for levels up to this size.
 * @param width width of the largest level
 * @param height height of the largest level
 */
export function pyramidScratchLength(width: number, height: number): number {
  return height * ((width + 1) >> 1) + width
}

/**
 * Filters one line with the binomial filter and keeps every other sample.
 * @param src source samples
 * @param offset index of the first sample of the line in `src` (samples are contiguous)
 * @param n number of samples in the line
 * @param dst destination, receives ceil(n/2) contiguous samples
 * @param dstOffset index of the first destination sample
 */
export function reduceLine(
  src: Float64Array,
  offset: number,
  n: number,
  dst: Float64Array,
  dstOffset: number,
): void {
  const m = (n + 1) >> 1
  // Outputs 1 … last read x[2k−2 … 2k+2] without reflection; the others reflect.
  const last = Math.min(m - 1, (n - 3) >> 1)
  dst[dstOffset] = reduceEdge(src, offset, n, 0)
  let at = offset
  for (let k = 1; k <= last; k++) {
    dst[dstOffset + k] =
      (src[at] + src[at + 4] + 4 * (src[at + 1] + src[at + 3]) + 6 * src[at + 2]) / 16
    at += 2
  }
  for (let k = Math.max(1, last + 1); k < m; k++) {
    dst[dstOffset + k] = reduceEdge(src, offset, n, k)
  }
}

/** Reduced sample k of a line, reflecting at the ends. */
function reduceEdge(src: Float64Array, offset: number, n: number, k: number): number {
  const a = src[offset + reflect(2 * k - 2, n)]
  const b = src[offset + reflect(2 * k - 1, n)]
  const c = src[offset + reflect(2 * k, n)]
  const d = src[offset + reflect(2 * k + 1, n)]
  const e = src[offset + reflect(2 * k + 2, n)]
  return (a + e + 4 * (b + d) + 6 * c) / 16
}

/**
 * Reduces the rows of a plane (vertical pass of a 2D reduce): row k of `dst` is the
 * binomial combination of rows 2k-2 … 2k+2 of `src`.
 * @param src plane of `width` × `height`
 * @param width width of both planes
 * @param height height of `src`
 * @param dst plane of `width` × ceil(height/2)
 */
function reduceColumns(src: Float64Array, width: number, height: number, dst: Float64Array): void {
  const rows = (height + 1) >> 1
  for (let k = 0; k < rows; k++) {
    const a = reflect(2 * k - 2, height) * width
    const b = reflect(2 * k - 1, height) * width
    const c = reflect(2 * k, height) * width
    const d = reflect(2 * k + 1, height) * width
    const e = reflect(2 * k + 2, height) * width
    const o = k * width
    for (let x = 0; x < width; x++) {
      dst[o + x] = (src[a + x] + src[e + x] + 4 * (src[b + x] + src[d + x]) + 6 * src[c + x]) / 16
    }
  }
}

/**
 * Expands one line of m coarse samples to n fine samples (n = 2m or 2m-1).
 * @param src coarse samples, contiguous
 * @param offset index of the first coarse sample
 * @param m number of coarse samples
 * @param dst destination, receives n contiguous samples
 * @param dstOffset index of the first destination sample
 * @param n number of fine samples
 */
export function expandLine(
  src: Float64Array,
  offset: number,
  m: number,
  dst: Float64Array,
  dstOffset: number,
  n: number,
): void {
  // Coarse samples 1 … m−2 have both neighbours: fine samples 2 … 2m−3 need no reflection.
  for (let i = 0; i < Math.min(2, n); i++) dst[dstOffset + i] = expandEdge(src, offset, m, n, i)
  let o = dstOffset + 2
  for (let k = offset + 1, end = offset + m - 1; k < end; k++, o += 2) {
    const c = src[k]
    const next = src[k + 1]
    dst[o] = (src[k - 1] + 6 * c + next) / 8
    dst[o + 1] = (c + next) / 2
  }
  for (let i = Math.max(2, 2 * m - 2); i < n; i++) {
    dst[dstOffset + i] = expandEdge(src, offset, m, n, i)
  }
}

/** Expanded sample i of a line of m coarse samples, reflecting at the ends. */
function expandEdge(src: Float64Array, offset: number, m: number, n: number, i: number): number {
  const k = i >> 1
  const c = src[offset + expandIndex(k, m, n)]
  const next = src[offset + expandIndex(k + 1, m, n)]
  return (i & 1) === 0
    ? (src[offset + expandIndex(k - 1, m, n)] + 6 * c + next) / 8
    : (c + next) / 2
}

/**
 * Expands the rows of a plane (vertical pass of a 2D expand).
 * @param src plane of `width` × ceil(`height`/2)
 * @param width width of both planes
 * @param height height of `dst`
 * @param dst plane of `width` × `height`
 */
export function expandColumns(
  src: Float64Array,
  width: number,
  height: number,
  dst: Float64Array,
): void {
  const m = (height + 1) >> 1
  for (let i = 0; i < height; i++) {
    const k = i >> 1
    const o = i * width
    const b = expandIndex(k, m, height) * width
    const c = expandIndex(k + 1, m, height) * width
    if ((i & 1) === 1) {
      for (let x = 0; x < width; x++) dst[o + x] = (src[b + x] + src[c + x]) / 2
    } else {
      const a = expandIndex(k - 1, m, height) * width
      for (let x = 0; x < width; x++) dst[o + x] = (src[a + x] + 6 * src[b + x] + src[c + x]) / 8
    }
  }
}

/**
 * Reduces a plane to the next pyramid level: binomial blur, then every other row and column.
 * @param src plane of `width` × `height`
 * @param width width of `src`
 * @param height height of `src`
 * @param dst plane of ceil(width/2) × ceil(height/2)
 * @param scratch at least {@link pyramidScratchLength}(width, height) samples
 */
export function reduce(
  src: Float64Array,
  width: number,
  height: number,
  dst: Float64Array,
  scratch: Float64Array,
): void {
  const half = (width + 1) >> 1
  for (let y = 0; y < height; y++) reduceLine(src, y * width, width, scratch, y * half)
  reduceColumns(scratch, half, height, dst)
}

/**
 * Adds `scale` times the expansion of a coarse plane to a fine plane:
 * dst += scale · expand(src).
 * @param src coarse plane of ceil(width/2) × ceil(height/2)
 * @param dst fine plane of `width` × `height`
 * @param width width of `dst`
 * @param height height of `dst`
 * @param scale factor on the expanded values (-1 to subtract)
 * @param scratch at least {@link pyramidScratchLength}(width, height) samples
 */
export function addExpanded(
  src: Float64Array,
  dst: Float64Array,
  width: number,
  height: number,
  scale: number,
  scratch: Float64Array,
): void {
  const half = (width + 1) >> 1
  expandColumns(src, half, height, scratch)
  const row = height * half
  for (let y = 0; y < height; y++) {
    expandLine(scratch, y * half, half, scratch, row, width)
    const o = y * width
    for (let x = 0; x < width; x++) dst[o + x] += scale * scratch[row + x]
  }
}

/**
 * Allocates one plane per level.
 * @param sizes level sizes, finest first
 * @returns zeroed planes
 */
export function allocatePyramid(sizes: readonly LevelSize[]): Float64Array[] {
  return sizes.map((s) => new Float64Array(s.width * s.height))
}

/**
 * Turns a plane into its Laplacian pyramid in place. On entry `levels[0]` holds the image;
 * on return `levels[l]` holds band l (image at level l minus the expansion of level l+1)
 * and the last level holds the low-pass residual.
 * @param levels planes sized by `sizes`
 * @param sizes level sizes, finest first
 * @param scratch at least {@link pyramidScratchLength} of the finest level
 */
export function buildLaplacian(
  levels: Float64Array[],
  sizes: readonly LevelSize[],
  scratch: Float64Array,
): void {
  for (let l = 0; l + 1 < levels.length; l++) {
    const { width, height } = sizes[l]
    reduce(levels[l], width, height, levels[l + 1], scratch)
    addExpanded(levels[l + 1], levels[l], width, height, -1, scratch)
  }
}

/**
 * Collapses a Laplacian pyramid in place (the inverse of {@link buildLaplacian}): on return
 * `levels[0]` holds the image and the other levels hold partial sums.
 * @param levels bands, finest first, the last one the low-pass residual
 * @param sizes level sizes, finest first
 * @param scratch at least {@link pyramidScratchLength} of the finest level
 */
export function collapseLaplacian(
  levels: Float64Array[],
  sizes: readonly LevelSize[],
  scratch: Float64Array,
): void {
  for (let l = levels.length - 2; l >= 0; l--) {
    const { width, height } = sizes[l]
    addExpanded(levels[l + 1], levels[l], width, height, 1, scratch)
  }
}
