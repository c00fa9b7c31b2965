/**
 * Conv2D gradients built from the backend's own forward kernels (on wasm: XNNPACK's
 * convolution and fully-connected operators), never from scalar loops:
 * - dW of a 1×1 unpadded conv is one GEMM, xᵀ·dy;
 * - dW of any other conv is one forward conv of x (channels ↔ batch swapped) by dy used as
 *   a filter dilated by the stride;
 * - dx of a 1×1 conv is one GEMM dy·wᵀ, spread back onto the strided grid;
 * - dx of any other conv is one forward conv of dy (spread by the stride) by the flipped,
 *   in/out-swapped filter.
 */
import { tf } from '../tf'
import { backpropFilterWindow, backpropInputWindow, convAxes } from './conv-geometry'
import { input, withRunner, type KernelRunner } from './kernel-runner'
import { cropWindows, spread, windowPadding } from './layout'

type TensorInfo = tf.TensorInfo
type Conv2DInfo = tf.backend_util.Conv2DInfo

/** A 1×1 conv without padding: every output pixel reads exactly input pixel o·s. */
function isPlainPointwise(info: Conv2DInfo): boolean {
  const { padInfo, strideHeight: sh, strideWidth: sw } = info
  return (
    info.filterHeight === 1 &&
    info.filterWidth === 1 &&
    padInfo.top === 0 &&
    padInfo.left === 0 &&
    padInfo.bottom === 0 &&
    padInfo.right === 0 &&
    info.outHeight === Math.ceil(info.inHeight / sh) &&
    info.outWidth === Math.ceil(info.inWidth / sw)
  )
}

/**
 * x[:, o·s, …] for every output position o: the input pixels a 1×1 strided conv reads. A
 * 1×1 average pool with the conv's stride picks them exactly (x · 1) through XNNPACK; the
 * stock StridedSlice is a scalar loop 80× slower.
 */
function sampledInput(k: KernelRunner, x: TensorInfo, info: Conv2DInfo): TensorInfo {
  const { strideHeight: sh, strideWidth: sw } = info
  return sh === 1 && sw === 1 ? x : k.avgPool(x, [1, 1], [sh, sw])
}

/**
 * dW [fh, fw, ci, co] of an NHWC conv with dilation 1 (tfjs's Conv2DBackpropFilter has none).
 */
function conv2dFilterGrad(
  k: KernelRunner,
  x: TensorInfo,
  dy: TensorInfo,
  info: Conv2DInfo,
): TensorInfo {
  const { batchSize: n, inChannels: ci, outChannels: co, outHeight: ho, outWidth: wo } = info
  if (isPlainPointwise(info)) {
    // dW = xsᵀ·dy over the m sampled pixels. A GEMM wants its left operand with the summed
    // axis innermost, so one operand is transposed (the one with fewer channels) and the
    // other is packed by XNNPACK as it lies.
    const m = n * ho * wo
    const xs = k.reshape(sampledInput(k, x, info), [m, ci])
    const dys = k.reshape(dy, [m, co])
    const grad =
      ci <= co
        ? k.matMul(k.transpose(xs, [1, 0]), dys)
        : k.transpose(k.matMul(k.transpose(dys, [1, 0]), xs), [1, 0])
    return k.reshape(grad, [1, 1, ci, co])
  }
  const { rows, cols } = convAxes(info)
  const rowWindow = backpropFilterWindow(rows)
  const colWindow = backpropFilterWindow(cols)
  // x as a batch of ci single images whose channels are the n samples: [ci, h, w, n].
  const images = k.transpose(cropWindows(k, x, rowWindow, colWindow), [3, 1, 2, 0])
  // dy as an [ho, wo, n, co] filter: one tap per output pixel, stride apart in x.
  const taps = k.transpose(dy, [1, 2, 0, 3])
  const grad = k.conv2d(
    images,
    taps,
    [1, 1],
    [info.strideHeight, info.strideWidth],
    windowPadding(rowWindow, colWindow),
  )
  return k.transpose(grad, [1, 2, 0, 3])
}

/** dx [n, h, w, ci] of an NHWC conv with dilation 1. */
function conv2dInputGrad(
  k: KernelRunner,
  dy: TensorInfo,
  filter: TensorInfo,
  info: Conv2DInfo,
): TensorInfo {
  const { batchSize: n, inChannels: ci, outChannels: co, outHeight: ho, outWidth: wo } = info
  const { rows, cols } = convAxes(info)
  const rowWindow = backpropInputWindow(rows)
  const colWindow = backpropInputWindow(cols)
  if (isPlainPointwise(info)) {
    const wT = k.transpose(k.reshape(filter, [ci, co]), [1, 0])
    const dxSampled = k.reshape(k.matMul(k.reshape(dy, [n * ho * wo, co]), wT), [n, ho, wo, ci])
    const spreadOut = spread(k, dxSampled, info.strideHeight, info.strideWidth)
    const cropped = cropWindows(k, spreadOut, rowWindow, colWindow)
    const padding = windowPadding(rowWindow, colWindow)
    return padding.some(([a, b]) => a + b > 0) ? k.pad(cropped, padding) : cropped
  }
  // Flip the taps and swap in/out channels: [fh, fw, co, ci].
  const flipped = k.transpose(k.run('Reverse', { x: filter }, { dims: [0, 1] }), [0, 1, 3, 2])
  const spreadDy = cropWindows(
    k,
    spread(k, dy, info.strideHeight, info.strideWidth),
    rowWindow,
    colWindow,
  )
  return k.conv2d(
    spreadDy,
    flipped,
    [1, 1],
    [info.dilationHeight, info.dilationWidth],
    windowPadding(rowWindow, colWindow),
  )
}

function toNhwc(k: KernelRunner, x: TensorInfo, dataFormat: 'NHWC' | 'NCHW'): TensorInfo {
  return dataFormat === 'NCHW' ? k.transpose(x, [0, 2, 3, 1]) : x
}

function fromNhwc(k: KernelRunner, x: TensorInfo, dataFormat: 'NHWC' | 'NCHW'): TensorInfo {
  return dataFormat === 'NCHW' ? k.transpose(x, [0, 3, 1, 2]) : x
}

function nhwcShape(shape: number[], dataFormat: 'NHWC' | 'NCHW'): [number, number, number, number] {
  const [a, b, c, d] = shape
  return dataFormat === 'NCHW' ? [a, c, d, b] : [a, b, c, d]
}

/** Conv2DBackpropFilter for `backendName`, both data formats. */
export function conv2dBackpropFilterConfig(backendName: string): tf.KernelConfig {
  return {
    kernelName: tf.Conv2DBackpropFilter,
    backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const x = input(inputs, 'x')
      const dy = input(inputs, 'dy')
      const a = attrs as unknown as tf.Conv2DBackpropFilterAttrs
      const info = tf.backend_util.computeConv2DInfo(
        nhwcShape(x.shape, a.dataFormat),
        a.filterShape,
        a.strides,
        1,
        a.pad,
        a.dimRoundingMode,
      )
      return withRunner(backend as tf.KernelBackend, backendName, (k) =>
        conv2dFilterGrad(k, toNhwc(k, x, a.dataFormat), toNhwc(k, dy, a.dataFormat), info),
      )
    },
  }
}

/** Conv2DBackpropInput for `backendName`, both data formats. */
export function conv2dBackpropInputConfig(backendName: string): tf.KernelConfig {
  return {
    kernelName: tf.Conv2DBackpropInput,
    backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const dy = input(inputs, 'dy')
      const filter = input(inputs, 'filter')
      const a = attrs as unknown as tf.Conv2DBackpropInputAttrs
      const info = tf.backend_util.computeConv2DInfo(
        nhwcShape(a.inputShape, a.dataFormat),
        filter.shape as [number, number, number, number],
        a.strides,
        1,
        a.pad,
        a.dimRoundingMode,
      )
      return withRunner(backend as tf.KernelBackend, backendName, (k) =>
        fromNhwc(k, conv2dInputGrad(k, toNhwc(k, dy, a.dataFormat), filter, info), a.dataFormat),
      )
    },
  }
}
