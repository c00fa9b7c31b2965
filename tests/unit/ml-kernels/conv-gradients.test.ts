import { beforeAll, describe, expect, it } from 'vitest'
import { selectBackend } from '../../../src/engine/ml/backend'
import { tf } from '../../../src/engine/ml/tf'
import {
  type ConvCase,
  type Shape4,
  TOLERANCE,
  convCases,
  convOutShape,
  cpuVersusWasm,
  label,
  maxAbsDiff,
  sizeOf,
  values,
} from './helpers'

const CASES = convCases()

function filterGrad(c: ConvCase, seed: number) {
  return () => {
    const x = tf.tensor4d(values(sizeOf(c.x), seed), c.x)
    const dyShape = convOutShape(c)
    const dy = tf.tensor4d(values(sizeOf(dyShape), seed + 1), dyShape)
    const attrs = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', filterShape: c.filter }
    return tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy }, attrs) as tf.Tensor
  }
}

function inputGrad(c: ConvCase, seed: number) {
  return () => {
    const filter = tf.tensor4d(values(sizeOf(c.filter), seed), c.filter)
    const dyShape = convOutShape(c)
    const dy = tf.tensor4d(values(sizeOf(dyShape), seed + 1), dyShape)
    const attrs = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', inputShape: c.x }
    return tf.engine().runKernel(tf.Conv2DBackpropInput, { dy, filter }, attrs) as tf.Tensor
  }
}

beforeAll(async () => {
  const report = await selectBackend({ prefer: 'wasm', wasmThreads: 1 })
  expect(report.name).toBe('wasm')
})

describe('Conv2DBackpropFilter on wasm', () => {
  it.each(CASES.map((c, i) => [label(c), c, i] as const))('matches cpu: %s', async (_, c, i) => {
    expect(await cpuVersusWasm(filterGrad(c, 100 + i))).toBeLessThanOrEqual(TOLERANCE)
  })

  it('matches cpu for NCHW data', async () => {
    const diff = await cpuVersusWasm(() => {
      const x = tf.tensor4d(values(2 * 3 * 7 * 8, 1), [2, 3, 7, 8])
      const dy = tf.tensor4d(values(2 * 4 * 4 * 4, 2), [2, 4, 4, 4])
      const attrs = { strides: 2, pad: 'same', dataFormat: 'NCHW', filterShape: [3, 3, 3, 4] }
      return tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy }, attrs) as tf.Tensor
    })
    expect(diff).toBeLessThanOrEqual(TOLERANCE)
  })
})

describe('Conv2DBackpropInput on wasm', () => {
  it.each(CASES.map((c, i) => [label(c), c, i] as const))('matches cpu: %s', async (_, c, i) => {
    expect(await cpuVersusWasm(inputGrad(c, 300 + i))).toBeLessThanOrEqual(TOLERANCE)
  })

  it('matches cpu for NCHW data', async () => {
    const diff = await cpuVersusWasm(() => {
      const filter = tf.tensor4d(values(3 * 3 * 3 * 4, 1), [3, 3, 3, 4])
      const dy = tf.tensor4d(values(2 * 4 * 4 * 4, 2), [2, 4, 4, 4])
      const attrs = { strides: 2, pad: 'same', dataFormat: 'NCHW', inputShape: [2, 3, 7, 8] }
      return tf.engine().runKernel(tf.Conv2DBackpropInput, { dy, filter }, attrs) as tf.Tensor
    })
    expect(diff).toBeLessThanOrEqual(TOLERANCE)
  })
})

describe('conv2d gradients through tf.grads on wasm', () => {
  it('equal cpu for both inputs of a stride-2 same conv', async () => {
    const diff = await cpuVersusWasm(() => {
      const x = tf.tensor4d(values(2 * 9 * 7 * 3, 5), [2, 9, 7, 3])
      const w = tf.tensor4d(values(3 * 3 * 3 * 4, 6), [3, 3, 3, 4])
      const f = (a: tf.Tensor, b: tf.Tensor) =>
        tf.sum(tf.square(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same')))
      return tf.grads(f)([x, w])
    })
    expect(diff).toBeLessThanOrEqual(TOLERANCE)
  })
})

interface DepthwiseCase {
  x: Shape4
  filter: Shape4
  strides: number
  dilations: number
  pad: 'same' | 'valid'
}

const DEPTHWISE: DepthwiseCase[] = [
  { x: [2, 7, 7, 3], filter: [3, 3, 3, 1], strides: 2, dilations: 1, pad: 'same' },
  { x: [2, 6, 5, 2], filter: [3, 3, 2, 2], strides: 1, dilations: 1, pad: 'same' },
  { x: [1, 8, 8, 2], filter: [3, 3, 2, 3], strides: 1, dilations: 2, pad: 'valid' },
  { x: [2, 9, 9, 3], filter: [5, 5, 3, 1], strides: 2, dilations: 1, pad: 'valid' },
  { x: [1, 6, 7, 4], filter: [2, 3, 4, 2], strides: 1, dilations: 2, pad: 'same' },
  { x: [2, 8, 6, 2], filter: [1, 1, 2, 2], strides: 2, dilations: 1, pad: 'same' },
]

function depthwiseOut(c: DepthwiseCase): Shape4 {
  return tf.backend_util.computeConv2DInfo(
    c.x,
    c.filter,
    c.strides,
    c.dilations,
    c.pad,
    undefined,
    true,
  ).outShape
}

/**
 * The same geometry with dilation 1 and the filter spread to (f − 1)·d + 1 taps. tfjs's
 * gradients never pass a dilation above 1 and the cpu kernels ignore it, so a dilated case
 * is checked against cpu on this equivalent undilated conv.
 */
function undilated(c: DepthwiseCase): DepthwiseCase {
  const [fh, fw, ch, m] = c.filter
  const spread = (f: number) => (f - 1) * c.dilations + 1
  return { ...c, filter: [spread(fh), spread(fw), ch, m], dilations: 1 }
}

/** Filter values of `c` placed on the taps of `undilated(c)` (zeros between). */
function spreadFilter(c: DepthwiseCase, data: Float32Array): tf.Tensor4D {
  const f = tf.tensor4d(data, c.filter)
  if (c.dilations === 1) return f
  const [fh, fw, ch, m] = c.filter
  const d = c.dilations
  const spreadRows = tf.reshape(
    tf.pad(tf.reshape(f, [fh, 1, fw, ch, m]), [
      [0, 0],
      [0, d - 1],
      [0, 0],
      [0, 0],
      [0, 0],
    ]),
    [fh * d, fw, ch, m],
  )
  const spreadBoth = tf.reshape(
    tf.pad(tf.reshape(spreadRows, [fh * d, fw, 1, ch, m]), [
      [0, 0],
      [0, 0],
      [0, d - 1],
      [0, 0],
      [0, 0],
    ]),
    [fh * d, fw * d, ch, m],
  )
  return tf.slice(spreadBoth, [0, 0, 0, 0], undilated(c).filter) as tf.Tensor4D
}

/** The filter gradient of `undilated(c)` read back at the dilated taps of `c`. */
function sampleTaps(c: DepthwiseCase, grad: tf.Tensor): tf.Tensor {
  if (c.dilations === 1) return grad
  const full = undilated(c).filter
  return tf.stridedSlice(grad, [0, 0, 0, 0], full, [c.dilations, c.dilations, 1, 1])
}

async function onBackend(backend: string, run: () => tf.Tensor): Promise<Float32Array> {
  await tf.setBackend(backend)
  const out = tf.tidy(run)
  const data = out.dataSync() as Float32Array
  out.dispose()
  return data
}

function depthwiseFilterGrad(c: DepthwiseCase) {
  return () => {
    const x = tf.tensor4d(values(sizeOf(c.x), 11), c.x)
    const dyShape = depthwiseOut(c)
    const dy = tf.tensor4d(values(sizeOf(dyShape), 12), dyShape)
    const attrs = { strides: c.strides, dilations: c.dilations, pad: c.pad, filterShape: c.filter }
    return tf
      .engine()
      .runKernel(tf.DepthwiseConv2dNativeBackpropFilter, { x, dy }, attrs) as tf.Tensor
  }
}

function depthwiseInputGrad(c: DepthwiseCase, spreadTaps: boolean) {
  return () => {
    const data = values(sizeOf(c.filter), 13)
    const filter = spreadTaps ? spreadFilter(c, data) : tf.tensor4d(data, c.filter)
    const dyShape = depthwiseOut(c)
    const dy = tf.tensor4d(values(sizeOf(dyShape), 14), dyShape)
    const geometry = spreadTaps ? undilated(c) : c
    const attrs = { strides: c.strides, dilations: geometry.dilations, pad: c.pad, inputShape: c.x }
    return tf
      .engine()
      .runKernel(tf.DepthwiseConv2dNativeBackpropInput, { dy, filter }, attrs) as tf.Tensor
  }
}

describe('depthwise conv gradients on wasm', () => {
  it.each(DEPTHWISE.map((c) => [JSON.stringify(c), c] as const))(
    'DepthwiseConv2dNativeBackpropFilter matches cpu: %s',
    async (_, c) => {
      const wasm = await onBackend('wasm', depthwiseFilterGrad(c))
      const cpu = await onBackend('cpu', () => sampleTaps(c, depthwiseFilterGrad(undilated(c))()))
      expect(maxAbsDiff(wasm, cpu)).toBeLessThanOrEqual(TOLERANCE)
    },
  )

  it.each(DEPTHWISE.map((c) => [JSON.stringify(c), c] as const))(
    'DepthwiseConv2dNativeBackpropInput matches cpu: %s',
    async (_, c) => {
      const wasm = await onBackend('wasm', depthwiseInputGrad(c, false))
      const cpu = await onBackend('cpu', depthwiseInputGrad(c, true))
      expect(maxAbsDiff(wasm, cpu)).toBeLessThanOrEqual(TOLERANCE)
    },
  )
})
