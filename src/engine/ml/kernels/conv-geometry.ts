/**
 * Index arithmetic that turns convolution gradients into forward convolutions, one spatial
 * axis at a time. Notation for one axis of a forward conv (TF cross-correlation):
 * y[o] = Σ_k x[o·s + k·d − p] · w[k], with input length `inLength`, output length
 * `outLength`, filter length `filter`, stride s, dilation d and leading pad p (TF 'same'
 * puts the odd extra pad at the end, which only `inLength` needs to know).
 */

import type { tf } from '../tf'

/** One axis of a convolution as tfjs computed it (conv_util.computeConv2DInfo). */
export interface ConvAxis {
  inLength: number
  outLength: number
  filter: number
  stride: number
  dilation: number
  padBefore: number
}

/** The row and column axes of a conv described by tfjs's Conv2DInfo. */
export function convAxes(info: tf.backend_util.Conv2DInfo): { rows: ConvAxis; cols: ConvAxis } {
  return {
    rows: {
      inLength: info.inHeight,
      outLength: info.outHeight,
      filter: info.filterHeight,
      stride: info.strideHeight,
      dilation: info.dilationHeight,
      padBefore: info.padInfo.top,
    },
    cols: {
      inLength: info.inWidth,
      outLength: info.outWidth,
      filter: info.filterWidth,
      stride: info.strideWidth,
      dilation: info.dilationWidth,
      padBefore: info.padInfo.left,
    },
  }
}

/**
 * How to lay out one axis of the input of a stride-1 forward conv: first crop `cropBefore`
 * / `cropAfter` elements (a negative pad), then pad `padBefore` / `padAfter` zeros.
 */
export interface AxisWindow {
  cropBefore: number
  cropAfter: number
  padBefore: number
  padAfter: number
}

function window(before: number, after: number): AxisWindow {
  return {
    cropBefore: Math.max(0, -before),
    cropAfter: Math.max(0, -after),
    padBefore: Math.max(0, before),
    padAfter: Math.max(0, after),
  }
}

/**
 * dx as a forward conv: dx[i] = Σ_k dy[(i + p − k·d)/s] · w[k] over the k where the index is
 * an integer in range. Spread dy to `spreadLength = outLength·s` with dy[o] at o·s (zeros
 * between), then a stride-1 conv with dilation d and the filter flipped yields dx once the
 * spread axis is laid out with the window returned here.
 */
export function backpropInputWindow(axis: ConvAxis): AxisWindow & { spreadLength: number } {
  const spreadLength = axis.outLength * axis.stride
  const reach = (axis.filter - 1) * axis.dilation
  const before = reach - axis.padBefore
  // Output length of the stride-1 conv = spread + before + after − reach = inLength.
  const after = axis.inLength - spreadLength - before + reach
  return { ...window(before, after), spreadLength }
}

/**
 * dw as a forward conv: dw[k] = Σ_o x[o·s + k − p] · dy[o] (dilation 1, as tfjs's
 * Conv2DBackpropFilter has no dilation) is a stride-1 conv of x by dy used as a filter of
 * length outLength dilated by s, whose output has length `filter` once x is laid out with
 * the window returned here.
 */
export function backpropFilterWindow(axis: ConvAxis): AxisWindow {
  const span = (axis.outLength - 1) * axis.stride + 1
  // Output length = inLength + before + after − span + 1 = filter.
  const after = axis.filter + span - 1 - axis.inLength - axis.padBefore
  return window(axis.padBefore, after)
}
