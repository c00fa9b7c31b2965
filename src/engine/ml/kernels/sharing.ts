/**
 * Identity and same-dtype Cast for the wasm backend that share the input's data, as the cpu
 * backend does, instead of copying it: tfjs-core casts float32 tensors to float32 and
 * clones tensors all over its gradients (≈ 320 full-size copies per training step of a
 * small SE-ResNet). Sharing is safe because no tfjs kernel writes into its inputs and the
 * engine counts references per data id.
 */
import { tf } from '../tf'
import { input } from './kernel-runner'

function share(backend: tf.KernelBackend, x: tf.TensorInfo): tf.TensorInfo {
  backend.incRef(x.dataId)
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype }
}

/** Identity on wasm: a new reference to the same data. */
export function identityConfig(): tf.KernelConfig {
  return {
    kernelName: tf.Identity,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend }) => share(backend as tf.KernelBackend, input(inputs, 'x')),
  }
}

/** Cast on wasm: shares data when the dtype does not change, else the stock kernel. */
export function castConfig(stock: tf.KernelConfig): tf.KernelConfig {
  return {
    kernelName: tf.Cast,
    backendName: 'wasm',
    setupFunc: stock.setupFunc,
    kernelFunc: (args) => {
      const x = input(args.inputs, 'x')
      const { dtype } = args.attrs as unknown as tf.CastAttrs
      return x.dtype === dtype ? share(args.backend as tf.KernelBackend, x) : stock.kernelFunc(args)
    },
  }
}
