/**
 * MaxPoolGrad for the wasm and cpu backends.
 *
 * The stock kernel of tfjs-backend-wasm 4.22 is wrong: it seeds each window's running
 * maximum with FLT_MIN (the smallest positive float, not the lowest) and keeps the last of
 * equal maxima, so a window whose values are all ≤ 0 (common after ReLU) sends its gradient
 * to element 0 of the tensor or drops it, and ties go to the last position where TF and the
 * cpu backend pick the first. It is also slow (≈ 120 ms for a 16 × 64 × 64 × 32 input).
 *
 * This kernel gives the cpu backend's result: per window, the first position (row-major
 * scan) of the window's maximum receives dy. It has the maximum already (the forward pass's
 * output), so each window scan stops at the first element equal to it, about half the reads
 * and mispredicted branches of a running-maximum scan. No XNNPACK operator computes an
 * argmax-scatter, so it runs on the backends' typed arrays (views of the wasm heap, the cpu
 * backend's own arrays), allocating nothing per window.
 * A window whose maximum is −∞ or NaN sends nothing (cpu: the same for −∞ and all-NaN
 * windows; a window mixing NaN with numbers, whose XNNPACK maximum may be NaN, is the one
 * case that can differ).
 */
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm'
import { tf } from '../tf'
import { input } from './kernel-runner'

function poolInfo(x: tf.TensorInfo, attrs: tf.NamedAttrMap): tf.backend_util.Conv2DInfo {
  const a = attrs as unknown as tf.MaxPoolGradAttrs
  return tf.backend_util.computePool2DInfo(
    x.shape as [number, number, number, number],
    a.filterSize,
    a.strides,
    1,
    a.pad,
    a.dimRoundingMode,
  )
}

/** MaxPoolGrad on wasm, on views of its heap. */
export function wasmMaxPoolGradConfig(): tf.KernelConfig {
  return {
    kernelName: tf.MaxPoolGrad,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const wasm = backend as BackendWasm
      const x = input(inputs, 'input')
      const dx = wasm.makeOutput(x.shape, 'float32')
      // Views after the allocation: growing the heap detaches older views.
      const view = (info: tf.TensorInfo) => wasm.typedArrayFromHeap(info) as Float32Array
      const dxs = view(dx)
      dxs.fill(0)
      const [y, dy] = [input(inputs, 'output'), input(inputs, 'dy')].map(view)
      scatterMaxGradients(view(x), y, dy, dxs, poolInfo(x, attrs ?? {}))
      return dx
    },
  }
}

/** MaxPoolGrad on cpu, on its arrays (readSync hands them out without a copy). */
export function cpuMaxPoolGradConfig(): tf.KernelConfig {
  return {
    kernelName: tf.MaxPoolGrad,
    backendName: 'cpu',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const cpu = backend as tf.KernelBackend
      const read = (name: string) => cpu.readSync(input(inputs, name).dataId) as Float32Array
      const x = input(inputs, 'input')
      const dx = new Float32Array(tf.util.sizeFromShape(x.shape))
      scatterMaxGradients(read('input'), read('output'), read('dy'), dx, poolInfo(x, attrs ?? {}))
      return { dataId: cpu.write(dx, x.shape, 'float32'), shape: x.shape, dtype: 'float32' }
    },
  }
}

/** dx[first position of each window's maximum y] += dy[window], NHWC. */
function scatterMaxGradients(
  x: Float32Array,
  y: Float32Array,
  dy: Float32Array,
  dx: Float32Array,
  info: tf.backend_util.Conv2DInfo,
): void {
  const { batchSize, inHeight, inWidth, inChannels: c, outHeight, outWidth } = info
  const { strideHeight, strideWidth, filterHeight, filterWidth } = info
  const { dilationHeight, dilationWidth, padInfo } = info
  // Offsets of the window's in-range pixels, in scan order.
  const taps = new Int32Array(filterHeight * filterWidth)
  for (let b = 0; b < batchSize; b++) {
    const imageBase = b * inHeight * inWidth * c
    for (let oh = 0; oh < outHeight; oh++) {
      const top = oh * strideHeight - padInfo.top
      for (let ow = 0; ow < outWidth; ow++) {
        const left = ow * strideWidth - padInfo.left
        let count = 0
        for (let kh = 0; kh < filterHeight; kh++) {
          const h = top + kh * dilationHeight
          if (h < 0 || h >= inHeight) continue
          for (let kw = 0; kw < filterWidth; kw++) {
            const w = left + kw * dilationWidth
            if (w >= 0 && w < inWidth) taps[count++] = imageBase + (h * inWidth + w) * c
          }
        }
        const out = ((b * outHeight + oh) * outWidth + ow) * c
        for (let ch = 0; ch < c; ch++) {
          const max = y[out + ch]
          if (!(max > Number.NEGATIVE_INFINITY)) continue
          for (let t = 0; t < count; t++) {
            const at = taps[t] + ch
            if (x[at] === max) {
              dx[at] += dy[out + ch]
              break
            }
          }
        }
      }
    }
  }
}
