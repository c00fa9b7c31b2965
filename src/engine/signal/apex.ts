/**
 * Frequency-domain apex spotting after Li, Huang, Zhao (ICIP 2018).
 *
 * For every frame n: the LBP code images of the frames n−h … n+h (window N = 2h+1, the clip
 * padded by repeating its first and last frame), cut into a grid × grid of blocks; the 3D
 * DFT of each block cube, centred (fftshift); an ideal spherical high-pass keeps the bins at
 * distance ≥ radius from the centre; the score is the sum of the kept magnitudes over all
 * blocks, and the apex is the frame of the largest score.
 *
 * Choices the paper leaves open:
 * - Blocks: the LBP image ((W−2)×(H−2), see lbpCodes) is split at floor(i·size/grid), so
 *   block sides differ by at most one pixel (158 → 26, 26, 27, 26, 26, 27).
 * - Distance in an anisotropic cube: each axis is stretched to the window length, i.e.
 *   d² = kt² + (ky·N/bh)² + (kx·N/bw)² with k the signed (centred) bin offsets. For an N³
 *   cube this is the plain bin distance; for others the kept region is the same part of
 *   normalised frequency space (outside the ellipsoid inscribed in the spectrum).
 * - Ties: frames whose windows contain the same event fully have the same score (the DFT
 *   magnitude ignores where in the window the event sits), so on a noise-free clip the
 *   maximum is a run of equal scores. The apex is the middle of the first run of scores
 *   within 1e-9 (relative) of the maximum, which is the event's centre for such runs; on
 *   real data runs have length 1 and this is the plain argmax.
 *
 * Speed: the 3D DFT is separable. Each window step adds one frame and drops one, so the
 * temporal DFT is updated by a sliding DFT: with Z_n[k] = Σ_{t=n−h}^{n+h} X_t[k]·w^{k·t}
 * (X_t the 2D spectrum of frame t's block, w = e^{−2πi/N}), |Z_n| equals the magnitude of
 * the window's DFT and Z_{n+1} = Z_n + (X_{n+h+1} − X_{n−h})·w^{k(n−h)}. One 2D FFT of the
 * frame difference and one complex multiply-add per kept bin per frame replace a 3D FFT per
 * window. The input is real, so only temporal bins 0 … h are tracked (bins k and −k have
 * equal magnitude and the mask is symmetric).
 */
import { AppError } from '../../shared/errors'
import { toGrey } from './colour'
import { FftPlan } from './fft'
import { lbpCodes } from './lbp'
import { DEFAULT_APEX_PARAMS, checkNumber, clipChannels } from './types'
import type { ApexParams, ApexResult, Clip } from './types'

/** Relative tolerance under which two scores count as equal. */
const TIE_TOLERANCE = 1e-9

/** 2D FFT machinery for one block shape. */
interface BlockTransform {
  rows: FftPlan
  columns: FftPlan
  re: Float64Array
  im: Float64Array
}

/** One block of the grid in the LBP image and its place in the spectrum buffer. */
interface Block {
  x: number
  y: number
  width: number
  height: number
  /** Offset of the block's spectrum in the spectrum buffer. */
  offset: number
  transform: BlockTransform
}

/** Signed frequency index of bin k of an n-point DFT (Nyquist counted negative). */
function signedBin(k: number, n: number): number {
  return k <= (n - 1) >> 1 ? k : k - n
}

/** Checks the parameters against the clip size. */
function resolveParams(params: Partial<ApexParams>, width: number, height: number): ApexParams {
  const resolved = { ...DEFAULT_APEX_PARAMS, ...params }
  checkNumber('windowLength', resolved.windowLength, { min: 1, integer: true })
  if (resolved.windowLength % 2 === 0) {
    throw new AppError('invalid_input', `windowLength must be odd, got ${resolved.windowLength}`, {
      field: 'windowLength',
      value: resolved.windowLength,
    })
  }
  checkNumber('radius', resolved.radius, { min: 0 })
  checkNumber('grid', resolved.grid, { min: 1, max: Math.min(width, height) - 2, integer: true })
  return resolved
}

/**
 * Scores every frame of a clip and picks the apex.
 * @param clip face clip, grey or RGB (converted to Y), at least grid+2 pixels per side
 * @param params window length, grid and high-pass radius; defaults {@link DEFAULT_APEX_PARAMS}
 * @returns the apex index and the score of every frame
 */
export function spotApex(clip: Clip, params: Partial<ApexParams> = {}): ApexResult {
  const channels = clipChannels(clip.width, clip.height, clip.frames)
  const { windowLength: n, grid, radius } = resolveParams(params, clip.width, clip.height)
  const half = (n - 1) / 2
  const count = clip.frames.length
  const width = clip.width - 2
  const height = clip.height - 2

  const grey = new Float32Array(channels === 3 ? clip.width * clip.height : 0)
  const codes = clip.frames.map((frame) =>
    lbpCodes(toGrey(frame, channels, grey), clip.width, clip.height),
  )

  const { blocks, size } = layoutBlocks(width, height, grid)
  const { bins, start } = keptBins(blocks, size, n, radius)
  const perBlock = half + 1
  let longest = 0
  for (let b = 0; b < blocks.length; b++) {
    longest = Math.max(longest, start[(b + 1) * perBlock] - start[b * perBlock])
  }
  const zRe = new Float64Array(longest)
  const zIm = new Float64Array(longest)
  const dRe = new Float64Array(size)
  const dIm = new Float64Array(size)
  const cos = new Float64Array(n)
  const sin = new Float64Array(n)
  for (let j = 0; j < n; j++) {
    cos[j] = Math.cos((2 * Math.PI * j) / n)
    sin[j] = -Math.sin((2 * Math.PI * j) / n)
  }
  const zero = new Uint8Array(width * height)
  const scores = new Float64Array(count)
  const clamp = (t: number): number => (t < 0 ? 0 : t >= count ? count - 1 : t)

  // Block by block, so that one block's sliding spectra stay in cache over the whole clip.
  blocks.forEach((block, b) => {
    const first = start[b * perBlock]
    // The window centred on −half−1 holds frame 0 n times: only temporal bin 0 is non-zero.
    blockSpectrum(block, codes[0], zero, width, dRe, dIm)
    zRe.fill(0)
    zIm.fill(0)
    for (let i = first; i < start[b * perBlock + 1]; i++) {
      zRe[i - first] = n * dRe[bins[i]]
      zIm[i - first] = n * dIm[bins[i]]
    }
    // Each step slides the window from `centre` to centre+1 (adding frame centre+half+1 and
    // dropping centre−half, both clamped to the clip) and scores the new window once its
    // centre is a frame of the clip.
    for (let centre = -half - 1; centre + 1 < count; centre++) {
      const added = clamp(centre + half + 1)
      const removed = clamp(centre - half)
      const measure = centre + 1 >= 0
      if (added === removed) {
        if (!measure) continue
        dRe.fill(0, block.offset, block.offset + block.width * block.height)
        dIm.fill(0, block.offset, block.offset + block.width * block.height)
      } else blockSpectrum(block, codes[added], codes[removed], width, dRe, dIm)
      const phase = (((centre - half) % n) + n) % n
      let score = 0
      for (let kt = 0; kt <= half; kt++) {
        const j = (phase * kt) % n
        const from = start[b * perBlock + kt]
        const to = start[b * perBlock + kt + 1]
        const sum = slide(bins, from, to, from - first, dRe, dIm, zRe, zIm, cos[j], sin[j], measure)
        score += kt === 0 ? sum : 2 * sum
      }
      if (measure) scores[centre + 1] += score
    }
  })

  return { apexIndex: apexOf(scores), scores }
}

/**
 * Splits the LBP image into grid × grid blocks at floor(i·side/grid) and gives each block its
 * place in one spectrum buffer and the FFT plans of its shape.
 */
function layoutBlocks(
  width: number,
  height: number,
  grid: number,
): { blocks: Block[]; size: number } {
  const blocks: Block[] = []
  const transforms = new Map<string, BlockTransform>()
  const plans = new Map<number, FftPlan>()
  const plan = (n: number): FftPlan => {
    let p = plans.get(n)
    if (p === undefined) plans.set(n, (p = new FftPlan(n)))
    return p
  }
  let size = 0
  for (let by = 0; by < grid; by++) {
    for (let bx = 0; bx < grid; bx++) {
      const y = Math.floor((by * height) / grid)
      const x = Math.floor((bx * width) / grid)
      const w = Math.floor(((bx + 1) * width) / grid) - x
      const h = Math.floor(((by + 1) * height) / grid) - y
      const key = `${w}x${h}`
      let transform = transforms.get(key)
      if (transform === undefined) {
        const longest = Math.max(w, h)
        transform = {
          rows: plan(w),
          columns: plan(h),
          re: new Float64Array(longest),
          im: new Float64Array(longest),
        }
        transforms.set(key, transform)
      }
      blocks.push({ x, y, width: w, height: h, offset: size, transform })
      size += w * h
    }
  }
  return { blocks, size }
}

/**
 * The spectrum bins the high-pass keeps, block major then temporal bin: for block b and
 * temporal bin kt in 0 … (n−1)/2, bins[start[b·(half+1) + kt] … start[b·(half+1) + kt + 1])
 * are the offsets (into the spectrum buffer) of the spatial bins kept.
 */
function keptBins(
  blocks: readonly Block[],
  size: number,
  n: number,
  radius: number,
): { bins: Int32Array; start: Int32Array } {
  const half = (n - 1) / 2
  const spatial = new Float64Array(size)
  for (const b of blocks) {
    for (let ky = 0; ky < b.height; ky++) {
      const fy = (signedBin(ky, b.height) * n) / b.height
      for (let kx = 0; kx < b.width; kx++) {
        const fx = (signedBin(kx, b.width) * n) / b.width
        spatial[b.offset + ky * b.width + kx] = fy * fy + fx * fx
      }
    }
  }
  const r2 = radius * radius
  const start = new Int32Array(blocks.length * (half + 1) + 1)
  // Two passes over the same order: count (filling `start`), then write the offsets.
  let total = 0
  const visit = (keep: (offset: number) => void): void => {
    blocks.forEach((b, index) => {
      for (let kt = 0; kt <= half; kt++) {
        start[index * (half + 1) + kt] = total
        for (let i = b.offset; i < b.offset + b.width * b.height; i++) {
          if (kt * kt + spatial[i] >= r2) keep(i)
        }
      }
    })
  }
  visit(() => total++)
  start[blocks.length * (half + 1)] = total
  const bins = new Int32Array(total)
  total = 0
  visit((offset) => (bins[total++] = offset))
  return { bins, start }
}

/**
 * 2D DFT of one block of added − removed (real input): rows two at a time as the real and
 * imaginary parts of one complex FFT, then the columns of the left half of the spectrum;
 * the right half follows from Hermitian symmetry, D[ky][kx] = conj(D[−ky][−kx]).
 */
function blockSpectrum(
  block: Block,
  added: Uint8Array,
  removed: Uint8Array,
  stride: number,
  dRe: Float64Array,
  dIm: Float64Array,
): void {
  const { width: w, height: h, offset, transform } = block
  const { re, im, rows, columns } = transform
  for (let y = 0; y < h; y += 2) {
    const first = (block.y + y) * stride + block.x
    const pair = y + 1 < h
    const second = first + stride
    for (let x = 0; x < w; x++) {
      re[x] = added[first + x] - removed[first + x]
      im[x] = pair ? added[second + x] - removed[second + x] : 0
    }
    rows.forward(re, im)
    const o1 = offset + y * w
    const o2 = o1 + w
    for (let k = 0; k < w; k++) {
      const k2 = k === 0 ? 0 : w - k
      dRe[o1 + k] = (re[k] + re[k2]) / 2
      dIm[o1 + k] = (im[k] - im[k2]) / 2
      if (pair) {
        dRe[o2 + k] = (im[k] + im[k2]) / 2
        dIm[o2 + k] = (re[k2] - re[k]) / 2
      }
    }
  }
  const halfWidth = w >> 1
  for (let x = 0; x <= halfWidth; x++) {
    for (let y = 0; y < h; y++) {
      re[y] = dRe[offset + y * w + x]
      im[y] = dIm[offset + y * w + x]
    }
    columns.forward(re, im)
    for (let y = 0; y < h; y++) {
      dRe[offset + y * w + x] = re[y]
      dIm[offset + y * w + x] = im[y]
    }
  }
  for (let y = 0; y < h; y++) {
    const mirror = offset + (y === 0 ? 0 : h - y) * w
    for (let x = halfWidth + 1; x < w; x++) {
      dRe[offset + y * w + x] = dRe[mirror + w - x]
      dIm[offset + y * w + x] = -dIm[mirror + w - x]
    }
  }
}

/**
 * One sliding-DFT step for the kept bins [from, to) of one temporal bin:
 * Z += D·(c + i·s), where D is the 2D spectrum of the frame change and Z of bin i is at
 * zRe/zIm[i − from + zFrom].
 * @returns the sum of the updated magnitudes when `measure`, else 0
 */
function slide(
  bins: Int32Array,
  from: number,
  to: number,
  zFrom: number,
  dRe: Float64Array,
  dIm: Float64Array,
  zRe: Float64Array,
  zIm: Float64Array,
  c: number,
  s: number,
  measure: boolean,
): number {
  let sum = 0
  if (measure) {
    for (let i = from, z = zFrom; i < to; i++, z++) {
      const b = bins[i]
      const zr = zRe[z] + dRe[b] * c - dIm[b] * s
      const zi = zIm[z] + dRe[b] * s + dIm[b] * c
      zRe[z] = zr
      zIm[z] = zi
      sum += Math.sqrt(zr * zr + zi * zi)
    }
  } else {
    for (let i = from, z = zFrom; i < to; i++, z++) {
      const b = bins[i]
      zRe[z] += dRe[b] * c - dIm[b] * s
      zIm[z] += dRe[b] * s + dIm[b] * c
    }
  }
  return sum
}

/**
 * Middle of the first run of scores within {@link TIE_TOLERANCE} of the maximum.
 * @param scores one score per frame, non-negative
 */
function apexOf(scores: Float64Array): number {
  let max = -Infinity
  for (const s of scores) max = Math.max(max, s)
  const floor = max - TIE_TOLERANCE * Math.abs(max)
  let first = 0
  while (scores[first] < floor) first++
  let last = first
  while (last + 1 < scores.length && scores[last + 1] >= floor) last++
  return (first + last) >> 1
}
