/**
 * Tile for the wasm backend as one broadcasting multiply. The stock kernel computes every
 * output index with scalar arithmetic (≈ 170 ms to tile a [1, 1, 1, 32] vector to
 * 16 × 64 × 64 × 32); tfjs's batch-norm gradient tiles such a vector for every BN layer.
 * Here out = ones(view) · x(view), where the view gives each tiled axis i of size d > 1
 * an extra leading axis of size reps[i] (an axis of size 1 broadcasts as it is): XNNPACK's
 * broadcasting multiply, exact since x · 1 = x.
 */
import { tf } from '../tf'
import { input, withRunner } from './kernel-runner'

/** XNNPACK's binary operators take at most this many dimensions. */
const MAX_BROADCAST_RANK = 6

/**
 * The broadcast views of a tile: `x` reshaped to `xView`, multiplied by ones of `outView`,
 * gives the tiled tensor in its final memory order. Undefined when it needs more than
 * XNNPACK's rank.
 */
function tileViews(
  shape: readonly number[],
  reps: readonly number[],
): { xView: number[]; outView: number[] } | undefined {
  const xView: number[] = []
  const outView: number[] = []
  shape.forEach((d, i) => {
    const r = reps[i]
    if (r === 1) {
      xView.push(d)
      outView.push(d)
    } else if (d === 1) {
      xView.push(1)
      outView.push(r)
    } else {
      xView.push(1, d)
      outView.push(r, d)
    }
  })
  return xView.length <= MAX_BROADCAST_RANK ? { xView, outView } : undefined
}

/** Tile on wasm for float32; other dtypes and deeper views go to the stock kernel. */
export function tileConfig(stock: tf.KernelConfig): tf.KernelConfig {
  return {
    kernelName: tf.Tile,
    backendName: 'wasm',
    setupFunc: stock.setupFunc,
    kernelFunc: (args) => {
      const x = input(args.inputs, 'x')
      const { reps } = args.attrs as unknown as tf.TileAttrs
      const views = x.dtype === 'float32' ? tileViews(x.shape, reps) : undefined
      if (views === undefined) return stock.kernelFunc(args)
      return withRunner(args.backend as tf.KernelBackend, 'wasm', (k) => {
        const tiled = k.multiply(k.fill(views.outView, 1), k.reshape(x, views.xView))
        return k.reshape(
          tiled,
          x.shape.map((d, i) => d * reps[i]),
        )
      })
    },
  }
}
