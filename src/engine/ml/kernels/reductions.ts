/**
 * Sum and Mean for the wasm backend when they reduce a contiguous block of axes that is not
 * the innermost one: batch-norm statistics and gradients reduce [0, 1, 2] of NHWC, global
 * average pooling and squeeze-excitation reduce [1, 2].
 *
 * The stock kernels first transpose the reduced axes innermost with a scalar C++ loop, then
 * sum rows (≈ 14 ms for 16 × 64 × 64 × 32 over [0, 1, 2]); a GEMV with ones would need
 * XNNPACK to pack the whole input as weights (≈ 12 ms). XNNPACK's average pooling reduces
 * the same block in one read (≈ 2 ms): the input is viewed as [p, b, 2^a, q] where p is
 * the size of the axes before the block, q after it, and the block's size is b · 2^a with
 * 2^a its largest power-of-two factor; a [1, 2^a] pooling window averages the 2^a part.
 * Scaling by a power of two is exact, so the Sum is as exact as the stock sequential sum;
 * the b part, if any, goes to the stock kernel on a 2^a times smaller array. Inputs that
 * are not float32, reductions of the innermost axes, or blocks with no even factor go to the
 * stock kernel unchanged.
 *
 * The pooled view's channels (`after`) are capped at {@link MAX_POOLED_CHANNELS}: XNNPACK's
 * multi-pass average pooling keeps a per-channel buffer on the C stack, and the wasm module's
 * stack is 64 KiB, so from 16 384 channels (64 KiB of floats) the buffer runs past the
 * stack into the module's static data (malloc's state) and a later free dies with "memory
 * access out of bounds" (measured on tfjs-backend-wasm 4.22: [16, 16384] over axis 0 breaks
 * it, [16, 15360] does not). L_NA's pairwise feature differences of 16 clips with the paper
 * preset's 2048 features, [16, 16, 2048] over axis 0, are 32 768 channels.
 */
import { tf } from '../tf'
import { input, withRunner } from './kernel-runner'

/** Most channels the pooled view may have: half the wasm stack in floats (see above). */
export const MAX_POOLED_CHANNELS = 8192

function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1)
}

/** How a reduction splits into the pooled view, or undefined when pooling does not apply. */
interface PooledReduction {
  /** Sizes of the view [before, odd part, power-of-two part, after]. */
  view: [number, number, number, number]
  /** Output shape with keepDims false. */
  outShape: number[]
}

/** The pooled view of reducing `axes` of `shape`, if the axes allow one. */
function pooledReduction(
  shape: readonly number[],
  axes: readonly number[],
): PooledReduction | undefined {
  if (axes.length === 0) return undefined
  const sorted = [...axes].sort((a, b) => a - b)
  const first = sorted[0]
  const last = sorted[sorted.length - 1]
  if (last - first + 1 !== sorted.length || last === shape.length - 1) return undefined
  const after = size(shape.slice(last + 1))
  if (after > MAX_POOLED_CHANNELS) return undefined
  const block = size(shape.slice(first, last + 1))
  const power = block & -block
  if (power === 1) return undefined
  return {
    view: [size(shape.slice(0, first)), block / power, power, after],
    outShape: [...shape.slice(0, first), ...shape.slice(last + 1)],
  }
}

function makeReduction(kind: 'Sum' | 'Mean', stock: tf.KernelConfig): tf.KernelConfig {
  return {
    kernelName: kind,
    backendName: 'wasm',
    setupFunc: stock.setupFunc,
    kernelFunc: (args) => {
      const x = input(args.inputs, 'x')
      const { axis, keepDims } = args.attrs as unknown as tf.SumAttrs
      const axes = tf.util.parseAxisParam(axis, x.shape)
      const plan = x.dtype === 'float32' ? pooledReduction(x.shape, axes) : undefined
      if (plan === undefined) return stock.kernelFunc(args)
      const [before, odd, power, after] = plan.view
      const backend = args.backend as tf.KernelBackend
      return withRunner(backend, 'wasm', (k) => {
        let reduced = k.avgPool(k.reshape(x, plan.view), [1, power], [1, 1])
        if (kind === 'Sum') reduced = k.multiply(reduced, k.fill([], power))
        if (odd > 1) {
          const rest = k.reshape(reduced, [before, odd, after])
          reduced = stock.kernelFunc({
            inputs: { x: rest },
            backend,
            attrs: { axis: [1], keepDims: false },
          }) as tf.TensorInfo
          k.adopt(reduced)
        }
        const kept = x.shape.map((d, i) => (axes.includes(i) ? 1 : d))
        return k.reshape(reduced, keepDims ? kept : plan.outShape)
      })
    },
  }
}

/** Sum on wasm: contiguous non-innermost axes by average pooling, the rest by the stock kernel. */
export function sumConfig(stock: tf.KernelConfig): tf.KernelConfig {
  return makeReduction('Sum', stock)
}

/** Mean on wasm: contiguous non-innermost axes by average pooling, the rest by the stock kernel. */
export function meanConfig(stock: tf.KernelConfig): tf.KernelConfig {
  return makeReduction('Mean', stock)
}
