import { beforeAll, describe, expect, it } from 'vitest'
import { selectBackend } from '../../../src/engine/ml/backend'
import { registerTrainingKernels, restoreKernels } from '../../../src/engine/ml/kernels'
import { tf } from '../../../src/engine/ml/tf'
import {
  TOLERANCE,
  convCases,
  convOutShape,
  label,
  maxAbsDiff,
  on,
  prng,
  sizeOf,
  values,
} from './helpers'

/** The largest difference between MicroAU's cpu kernels and the stock ones on `run`. */
async function oursVersusStock(run: () => tf.Tensor | tf.Tensor[]): Promise<number> {
  const ours = await on('cpu', run)
  restoreKernels('cpu')
  try {
    const stock = await on('cpu', run)
    return Math.max(...ours.map((o, i) => maxAbsDiff(o, stock[i])))
  } finally {
    registerTrainingKernels('cpu')
  }
}

beforeAll(async () => {
  const report = await selectBackend({ prefer: 'cpu' })
  expect(report.name).toBe('cpu')
})

describe('Conv2DBackpropFilter on cpu', () => {
  it.each(convCases().map((c, i) => [label(c), c, i] as const))(
    'matches the stock kernel: %s',
    async (_, c, i) => {
      const diff = await oursVersusStock(() => {
        const x = tf.tensor4d(values(sizeOf(c.x), 500 + i), c.x)
        const dyShape = convOutShape(c)
        const dy = tf.tensor4d(values(sizeOf(dyShape), 600 + i), dyShape)
        const attrs = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', filterShape: c.filter }
        return tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy }, attrs) as tf.Tensor
      })
      expect(diff).toBeLessThanOrEqual(TOLERANCE)
    },
  )
})

describe('DepthwiseConv2dNativeBackpropInput on cpu', () => {
  const cases = [
    { x: [2, 7, 7, 3], filter: [3, 3, 3, 1], strides: 2, pad: 'same' },
    { x: [2, 6, 5, 2], filter: [3, 3, 2, 2], strides: 1, pad: 'same' },
    { x: [2, 9, 9, 3], filter: [5, 5, 3, 2], strides: 2, pad: 'valid' },
  ] as const
  it.each(cases.map((c) => [JSON.stringify(c), c] as const))(
    'matches the stock kernel: %s',
    async (_, c) => {
      const diff = await oursVersusStock(() => {
        const inputShape = [...c.x] as [number, number, number, number]
        const filterShape = [...c.filter] as [number, number, number, number]
        const info = tf.backend_util.computeConv2DInfo(
          inputShape,
          filterShape,
          c.strides,
          1,
          c.pad,
          undefined,
          true,
        )
        const filter = tf.tensor4d(values(sizeOf(filterShape), 1), filterShape)
        const dy = tf.tensor4d(values(sizeOf(info.outShape), 2), info.outShape)
        const attrs = { strides: c.strides, dilations: 1, pad: c.pad, inputShape }
        return tf
          .engine()
          .runKernel(tf.DepthwiseConv2dNativeBackpropInput, { dy, filter }, attrs) as tf.Tensor
      })
      expect(diff).toBeLessThanOrEqual(TOLERANCE)
    },
  )
})

describe('MaxPoolGrad on cpu', () => {
  const cases = [
    { x: [2, 7, 6, 3], filter: 3, strides: 2, pad: 'same' },
    { x: [1, 8, 8, 4], filter: 2, strides: 2, pad: 'valid' },
    { x: [2, 5, 5, 2], filter: 3, strides: 1, pad: 'same' },
  ] as const
  it.each(cases.map((c) => [JSON.stringify(c), c] as const))(
    'matches the stock kernel with ties and non-positive windows: %s',
    async (_, c) => {
      const diff = await oursVersusStock(() => {
        const next = prng(3)
        const shape = [...c.x] as [number, number, number, number]
        const data = Float32Array.from(
          { length: sizeOf(shape) },
          () => Math.round(4 * next() - 3) / 2,
        )
        const x = tf.tensor4d(data, shape)
        const y = tf.maxPool(x, c.filter, c.strides, c.pad)
        const dy = tf.tensor4d(values(y.size, 4), y.shape)
        const attrs = { filterSize: c.filter, strides: c.strides, pad: c.pad }
        return tf
          .engine()
          .runKernel(tf.MaxPoolGrad, { dy, input: x, output: y }, attrs) as tf.Tensor
      })
      expect(diff).toBeLessThanOrEqual(TOLERANCE)
    },
  )
})
