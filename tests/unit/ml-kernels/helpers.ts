/** Shared helpers of the ml-kernels tests: seeded data, backend switching, comparison. */
import { tf } from '../../../src/engine/ml/tf'

/** Deterministic PRNG (mulberry32), uniform in [0, 1). */
export function prng(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** `size` values uniform in [−1, 1) from `seed`. */
export function values(size: number, seed: number): Float32Array {
  const next = prng(seed)
  return Float32Array.from({ length: size }, () => 2 * next() - 1)
}

/** Number of elements of `shape`. */
export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1)
}

/**
 * Runs `run` on `backend` with fresh tensors and returns the values of every tensor it
 * returns (the backend's own result, read back before anything is disposed).
 */
export async function on(
  backend: string,
  run: () => tf.Tensor | tf.Tensor[],
): Promise<Float32Array[]> {
  await tf.setBackend(backend)
  const out = tf.tidy(run)
  const tensors = Array.isArray(out) ? out : [out]
  const read = tensors.map((t) => t.dataSync() as Float32Array)
  tf.dispose(tensors)
  return read
}

/** Largest |a − b| over two equally long arrays (Infinity when lengths differ). */
export function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY
  let worst = 0
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i])
    // NaN on one side only is a mismatch; NaN on both sides agrees.
    if (Number.isNaN(d)) {
      if (!(Number.isNaN(a[i]) && Number.isNaN(b[i]))) return Number.POSITIVE_INFINITY
    } else if (d > worst) worst = d
  }
  return worst
}

/** Runs `run` on cpu and on wasm and returns the largest difference over all outputs. */
export async function cpuVersusWasm(run: () => tf.Tensor | tf.Tensor[]): Promise<number> {
  const cpu = await on('cpu', run)
  const wasm = await on('wasm', run)
  if (cpu.length !== wasm.length) return Number.POSITIVE_INFINITY
  return Math.max(...cpu.map((c, i) => maxAbsDiff(c, wasm[i])))
}

/** The tolerance every kernel must meet against the cpu backend. */
export const TOLERANCE = 1e-4

/** A rank-4 shape. */
export type Shape4 = [number, number, number, number]
type Pad = 'same' | 'valid' | tf.backend_util.ExplicitPadding

/** A conv geometry: input, filter, strides, padding. */
export interface ConvCase {
  x: Shape4
  filter: Shape4
  strides: [number, number]
  pad: Pad
}

/** A readable name of a conv geometry. */
export function label(c: ConvCase): string {
  return `x ${c.x.join('×')} w ${c.filter.join('×')} s ${c.strides.join(',')} pad ${JSON.stringify(c.pad)}`
}

/** The output shape of a conv geometry. */
export function convOutShape(c: ConvCase): Shape4 {
  return tf.backend_util.computeConv2DInfo(c.x, c.filter, c.strides, 1, c.pad).outShape
}

/** Random valid conv geometries (output at least 1×1), seeded. */
function randomCases(count: number, seed: number): ConvCase[] {
  const next = prng(seed)
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]
  const cases: ConvCase[] = []
  while (cases.length < count) {
    const h = 3 + Math.floor(next() * 7)
    const w = 3 + Math.floor(next() * 7)
    const fh = pick([1, 2, 3, 5])
    const fw = pick([1, 2, 3, 5])
    const kind = pick(['same', 'valid', 'explicit'] as const)
    const pad: Pad =
      kind === 'explicit'
        ? [
            [0, 0],
            [Math.floor(next() * 3), Math.floor(next() * 3)],
            [Math.floor(next() * 3), Math.floor(next() * 3)],
            [0, 0],
          ]
        : kind
    const c: ConvCase = {
      x: [1 + Math.floor(next() * 3), h, w, 1 + Math.floor(next() * 5)],
      filter: [fh, fw, 0, 1 + Math.floor(next() * 5)],
      strides: [pick([1, 2]), pick([1, 2])],
      pad,
    }
    c.filter[2] = c.x[3]
    if (kind === 'valid' && (fh > h || fw > w)) continue
    const [, oh, ow] = convOutShape(c)
    if (oh >= 1 && ow >= 1) cases.push(c)
  }
  return cases
}

/** Geometries named in the brief: stride 2 with TF's asymmetric 'same' on odd sizes, 1×1. */
const NAMED: ConvCase[] = [
  { x: [2, 7, 9, 3], filter: [3, 3, 3, 4], strides: [2, 2], pad: 'same' },
  { x: [2, 7, 7, 3], filter: [3, 3, 3, 4], strides: [2, 2], pad: 'valid' },
  { x: [1, 11, 11, 3], filter: [7, 7, 3, 5], strides: [2, 2], pad: 'same' },
  { x: [2, 9, 7, 4], filter: [1, 1, 4, 6], strides: [2, 2], pad: 'same' },
  { x: [2, 8, 8, 6], filter: [1, 1, 6, 3], strides: [2, 2], pad: 'valid' },
  { x: [3, 6, 6, 5], filter: [1, 1, 5, 2], strides: [1, 1], pad: 'valid' },
  { x: [2, 8, 8, 3], filter: [3, 3, 3, 4], strides: [1, 1], pad: 'same' },
  {
    x: [2, 6, 6, 2],
    filter: [3, 3, 2, 2],
    strides: [1, 1],
    pad: [
      [0, 0],
      [2, 1],
      [0, 3],
      [0, 0],
    ],
  },
  { x: [1, 5, 6, 2], filter: [2, 2, 2, 3], strides: [2, 1], pad: 'same' },
]

/** The named geometries and 40 random ones (seed 7). */
export function convCases(): ConvCase[] {
  return [...NAMED, ...randomCases(40, 7)]
}
