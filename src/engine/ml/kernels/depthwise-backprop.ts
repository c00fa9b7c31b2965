/**
 * Depthwise conv gradients from the backend's own kernels (filter [fh, fw, c, m], channel
 * multiplier m, output channel c·m + j):
 * - dx is one depthwise conv of dy (spread by the stride) by the flipped filter over the
 *   c·m output channels, then a sum over each channel's m multiplier outputs;
 * - dW is, for each of the fh·fw taps, the product of the input pixels that tap reads with
 *   dy, summed over batch and positions.
 */
import { tf } from '../tf'
import { backpropInputWindow, convAxes } from './conv-geometry'
import { input, withRunner, type KernelRunner } from './kernel-runner'
import { cropWindows, spread, windowPadding } from './layout'

type TensorInfo = tf.TensorInfo
type Conv2DInfo = tf.backend_util.Conv2DInfo

/** dx [n, h, w, c] of a depthwise conv. */
function depthwiseInputGrad(
  k: KernelRunner,
  dy: TensorInfo,
  filter: TensorInfo,
  info: Conv2DInfo,
): TensorInfo {
  const [fh, fw, c, m] = filter.shape
  const axes = convAxes(info)
  const rows = backpropInputWindow(axes.rows)
  const cols = backpropInputWindow(axes.cols)
  // Same memory order: channel c·m + j of dy meets filter column (c, j).
  const flipped = k.reshape(k.run('Reverse', { x: filter }, { dims: [0, 1] }), [fh, fw, c * m, 1])
  const spreadDy = cropWindows(k, spread(k, dy, info.strideHeight, info.strideWidth), rows, cols)
  const perOutput = k.depthwiseConv2d(
    spreadDy,
    flipped,
    [1, 1],
    [info.dilationHeight, info.dilationWidth],
    windowPadding(rows, cols),
  )
  if (m === 1) return perOutput
  const [n, h, w] = perOutput.shape
  return k.sum(k.reshape(perOutput, [n, h, w, c, m]), [4])
}

/** dW [fh, fw, c, m] of a depthwise conv. */
function depthwiseFilterGrad(
  k: KernelRunner,
  x: TensorInfo,
  dy: TensorInfo,
  info: Conv2DInfo,
  filterShape: [number, number, number, number],
): TensorInfo {
  const [fh, fw, c, m] = filterShape
  const { batchSize: n, outHeight: ho, outWidth: wo, padInfo } = info
  const { strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info
  // Pad so every tap's strided window lies inside the array.
  const needRows = (fh - 1) * dh + (ho - 1) * sh + 1
  const needCols = (fw - 1) * dw + (wo - 1) * sw + 1
  const padded = k.pad(x, [
    [0, 0],
    [padInfo.top, Math.max(0, needRows - info.inHeight - padInfo.top)],
    [padInfo.left, Math.max(0, needCols - info.inWidth - padInfo.left)],
    [0, 0],
  ])
  const dyPerChannel = m === 1 ? dy : k.reshape(dy, [n, ho, wo, c, m])
  const taps: TensorInfo[] = []
  for (let i = 0; i < fh; i++) {
    for (let j = 0; j < fw; j++) {
      // The pixels tap (i, j) reads: a window of the padded input, every stride-th one
      // picked by a 1 × 1 average pool (exact; the stock StridedSlice is a scalar loop).
      const window = k.slice(
        padded,
        [0, i * dh, j * dw, 0],
        [n, (ho - 1) * sh + 1, (wo - 1) * sw + 1, c],
      )
      const read = sh === 1 && sw === 1 ? window : k.avgPool(window, [1, 1], [sh, sw])
      const product = k.multiply(m === 1 ? read : k.reshape(read, [n, ho, wo, c, 1]), dyPerChannel)
      taps.push(k.reshape(k.sum(product, [0, 1, 2]), [1, c * m]))
    }
  }
  return k.reshape(k.concat(taps, 0), filterShape)
}

/** DepthwiseConv2dNativeBackpropInput for `backendName` (NHWC, as the op requires). */
export function depthwiseBackpropInputConfig(backendName: string): tf.KernelConfig {
  return {
    kernelName: tf.DepthwiseConv2dNativeBackpropInput,
    backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const dy = input(inputs, 'dy')
      const filter = input(inputs, 'filter')
      const a = attrs as unknown as tf.DepthwiseConv2dNativeBackpropInputAttrs
      const info = tf.backend_util.computeConv2DInfo(
        a.inputShape,
        filter.shape as [number, number, number, number],
        a.strides,
        a.dilations,
        a.pad,
        a.dimRoundingMode,
        true,
      )
      return withRunner(backend as tf.KernelBackend, backendName, (k) =>
        depthwiseInputGrad(k, dy, filter, info),
      )
    },
  }
}

/** DepthwiseConv2dNativeBackpropFilter for `backendName` (NHWC, as the op requires). */
export function depthwiseBackpropFilterConfig(backendName: string): tf.KernelConfig {
  return {
    kernelName: tf.DepthwiseConv2dNativeBackpropFilter,
    backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const x = input(inputs, 'x')
      const dy = input(inputs, 'dy')
      const a = attrs as unknown as tf.DepthwiseConv2dNativeBackpropFilterAttrs
      const info = tf.backend_util.computeConv2DInfo(
        x.shape as [number, number, number, number],
        a.filterShape,
        a.strides,
        a.dilations,
        a.pad,
        a.dimRoundingMode,
        true,
      )
      return withRunner(backend as tf.KernelBackend, backendName, (k) =>
        depthwiseFilterGrad(k, x, dy, info, a.filterShape),
      )
    },
  }
}
