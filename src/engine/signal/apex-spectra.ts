/**
 * The spectral machinery of the apex spotter (see apex.ts): the block layout of the LBP image,
 * the spectrum bins the high-pass keeps, the 2D DFT of a block of a frame change, and one
 * sliding-DFT step.
 */
import { FftPlan } from './fft'

/** 2D FFT machinery for one block shape. */
export interface BlockTransform {
  rows: FftPlan
  columns: FftPlan
  re: Float64Array
  im: Float64Array
}

/** One block of the grid in the LBP image and its place in the spectrum buffer. */
export interface Block {
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

/**
 * Splits the LBP image into grid × grid blocks at floor(i·side/grid) and gives each block its
 * place in one spectrum buffer and the FFT plans of its shape.
 */
export function layoutBlocks(
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
export function keptBins(
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
export function blockSpectrum(
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
export function slide(
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
