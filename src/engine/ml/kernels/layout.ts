import type { tf } from '../tf'
import type { AxisWindow } from './conv-geometry'
import type { KernelRunner } from './kernel-runner'

type TensorInfo = tf.TensorInfo

type ExplicitPadding = tf.backend_util.ExplicitPadding

/**
 * Crops axes 1 and 2 of a rank-4 NHWC info as two windows say (their negative pads);
 * returns `x` itself when nothing is cropped.
 */
export function cropWindows(
  k: KernelRunner,
  x: TensorInfo,
  rows: AxisWindow,
  cols: AxisWindow,
): TensorInfo {
  if (rows.cropBefore + rows.cropAfter + cols.cropBefore + cols.cropAfter === 0) return x
  const [n, h, w, c] = x.shape
  return k.slice(
    x,
    [0, rows.cropBefore, cols.cropBefore, 0],
    [n, h - rows.cropBefore - rows.cropAfter, w - cols.cropBefore - cols.cropAfter, c],
  )
}

/** The zero padding of two windows, for a conv kernel to apply without a copy. */
export function windowPadding(rows: AxisWindow, cols: AxisWindow): ExplicitPadding {
  return [
    [0, 0],
    [rows.padBefore, rows.padAfter],
    [cols.padBefore, cols.padAfter],
    [0, 0],
  ]
}

/**
 * Spreads a rank-4 NHWC info on its spatial axes: out[:, i·sh, j·sw, :] = x[:, i, j, :],
 * zeros elsewhere, shape [n, h·sh, w·sw, c]. One pad of a rank-6 view, no scalar loop.
 */
export function spread(k: KernelRunner, x: TensorInfo, sh: number, sw: number): TensorInfo {
  if (sh === 1 && sw === 1) return x
  const [n, h, w, c] = x.shape
  const padded = k.pad(k.reshape(x, [n, h, 1, w, 1, c]), [
    [0, 0],
    [0, 0],
    [0, sh - 1],
    [0, 0],
    [0, sw - 1],
    [0, 0],
  ])
  return k.reshape(padded, [n, h * sh, w * sw, c])
}
