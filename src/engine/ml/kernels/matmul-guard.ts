/**
 * BatchMatMul and _FusedMatMul for the wasm backend, guarding the stock kernels against a
 * stale-operator bug.
 *
 * For an untransposed batch-1 product the stock kernel creates an XNNPACK fully-connected
 * operator holding `b` packed as weights and caches it under b's tensor id only (plus bias
 * and activation), not its shape. The same data viewed with another [k, n] (a reshape shares
 * the id) then reuses the old operator and returns garbage: with x = range(12),
 * ones[1, 6]·x[6, 2] followed by ones[1, 4]·x[4, 3] gives [12, 16, 0] for [18, 22, 26].
 * The guard remembers the [k, n] each data id was used with and hands the stock kernel a
 * fresh copy (a new id) when it changes. The reductions in ./reductions use inputs as `b`,
 * so they rely on it.
 */
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm'
import { tf } from '../tf'
import { input } from './kernel-runner'

/** The [k, n] each data id was last packed as, by data id object. */
const packedAs = new WeakMap<object, string>()

function copyOf(backend: BackendWasm, x: tf.TensorInfo): tf.TensorInfo {
  const copy = backend.makeOutput(x.shape, x.dtype)
  // Views after the allocation: growing the heap detaches older views.
  backend.typedArrayFromHeap(copy).set(backend.typedArrayFromHeap(x))
  return copy
}

/** Whether the stock kernel takes its cached XNNPACK path for these operands. */
function usesCachedOperator(a: tf.TensorInfo, b: tf.TensorInfo, attrs: tf.BatchMatMulAttrs) {
  const batch = (shape: number[]) => shape.slice(0, -2).reduce((p, d) => p * d, 1)
  return !attrs.transposeA && !attrs.transposeB && batch(a.shape) === 1 && batch(b.shape) === 1
}

function guarded(kernelName: string, stock: tf.KernelConfig): tf.KernelConfig {
  return {
    kernelName,
    backendName: 'wasm',
    setupFunc: stock.setupFunc,
    kernelFunc: (args) => {
      const a = input(args.inputs, 'a')
      const b = input(args.inputs, 'b')
      if (!usesCachedOperator(a, b, args.attrs as unknown as tf.BatchMatMulAttrs)) {
        return stock.kernelFunc(args)
      }
      const key = b.shape.slice(-2).join('x')
      const previous = packedAs.get(b.dataId)
      if (previous === undefined || previous === key) {
        packedAs.set(b.dataId, key)
        return stock.kernelFunc(args)
      }
      const backend = args.backend as BackendWasm
      const fresh = copyOf(backend, b)
      packedAs.set(fresh.dataId, key)
      try {
        return stock.kernelFunc({ ...args, inputs: { ...args.inputs, b: fresh } })
      } finally {
        backend.disposeData(fresh.dataId)
      }
    },
  }
}

/** BatchMatMul on wasm, stale-operator safe. */
export function batchMatMulConfig(stock: tf.KernelConfig): tf.KernelConfig {
  return guarded(tf.BatchMatMul, stock)
}

/** _FusedMatMul on wasm, stale-operator safe. */
export function fusedMatMulConfig(stock: tf.KernelConfig): tf.KernelConfig {
  return guarded(tf._FusedMatMul, stock)
}
