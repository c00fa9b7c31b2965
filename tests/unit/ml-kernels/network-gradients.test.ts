import { beforeAll, describe, expect, it } from 'vitest'
import { selectBackend } from '../../../src/engine/ml/backend'
import { registerTrainingKernels, restoreKernels } from '../../../src/engine/ml/kernels'
import { kernelsDispatchedBy, unregisteredOn } from '../../../src/engine/ml/kernels/coverage'
import { tf } from '../../../src/engine/ml/tf'
import { TOLERANCE, cpuVersusWasm, sizeOf, values } from './helpers'

/** Parameter shapes of a tiny SE-ResNet-like network, in the order `loss` takes them. */
const SHAPES: number[][] = [
  [3, 3, 3, 6], // stem conv
  [6], // stem BN gamma
  [6], // stem BN beta
  [1, 1, 6, 4], // 1×1 reduce, stride 2
  [3, 3, 4, 4], // 3×3, stride 2, TF 'same' on odd sizes
  [1, 1, 4, 8], // 1×1 expand
  [8, 2], // SE down
  [2, 8], // SE up
  [1, 1, 6, 8], // projection shortcut, stride 2
  [8, 3], // head
  [3], // head bias
]

function batchNorm(x: tf.Tensor4D, gamma: tf.Tensor, beta: tf.Tensor): tf.Tensor4D {
  const { mean, variance } = tf.moments(x, [0, 1, 2])
  return tf.batchNorm(
    x,
    mean,
    variance,
    beta as tf.Tensor1D,
    gamma as tf.Tensor1D,
    1e-3,
  ) as tf.Tensor4D
}

/**
 * Sigmoid cross-entropy of conv + BN + ReLU + max pool + bottleneck with squeeze-excitation
 * and a strided 3×3 + average pool + global average pool + dense, on a 2 × 11 × 11 × 3 batch.
 */
function loss(images: tf.Tensor4D, labels: tf.Tensor2D, p: tf.Tensor[]): tf.Scalar {
  const [stem, gamma, beta, reduce, spatial, expand, down, up, project, head, bias] = p
  let x = tf.relu(batchNorm(tf.conv2d(images, stem as tf.Tensor4D, 1, 'same'), gamma, beta))
  x = tf.maxPool(x, 3, 2, 'same') // 11 → 6
  let y = tf.relu(tf.conv2d(x, reduce as tf.Tensor4D, 2, 'valid')) // 6 → 3
  y = tf.relu(tf.conv2d(y, spatial as tf.Tensor4D, 2, 'same')) // 3 → 2
  y = tf.conv2d(y, expand as tf.Tensor4D, 1, 'same')
  const squeeze = tf.relu(tf.matMul(tf.mean(y, [1, 2]) as tf.Tensor2D, down as tf.Tensor2D))
  const excite = tf.sigmoid(tf.matMul(squeeze, up as tf.Tensor2D))
  y = tf.mul(y, tf.reshape(excite, [-1, 1, 1, 8]))
  const shortcut = tf.avgPool(tf.conv2d(x, project as tf.Tensor4D, 2, 'same'), 2, 2, 'same')
  const features = tf.mean(tf.relu(tf.add(y, shortcut)), [1, 2]) as tf.Tensor2D
  const logits = tf.add(tf.matMul(features, head as tf.Tensor2D), bias)
  return tf.losses.sigmoidCrossEntropy(labels, logits) as tf.Scalar
}

function inputs(): { images: tf.Tensor4D; labels: tf.Tensor2D; params: tf.Tensor[] } {
  return {
    images: tf.tensor4d(values(2 * 11 * 11 * 3, 1), [2, 11, 11, 3]),
    labels: tf.tensor2d([1, 0, 1, 0, 0, 1], [2, 3]),
    params: SHAPES.map((shape, i) => tf.tensor(values(sizeOf(shape), 10 + i), shape)),
  }
}

beforeAll(async () => {
  const report = await selectBackend({ prefer: 'wasm', wasmThreads: 1 })
  expect(report.name).toBe('wasm')
})

describe('a small SE-ResNet on wasm', () => {
  it('has the loss and every parameter gradient of cpu, to 1e-4', async () => {
    const diff = await cpuVersusWasm(() => {
      const { images, labels, params } = inputs()
      const { value, grads } = tf.valueAndGrads((...p: tf.Tensor[]) => loss(images, labels, p))(
        params,
      )
      return [value, ...grads]
    })
    expect(diff).toBeLessThanOrEqual(TOLERANCE)
  })

  it('leaves no tensor data behind on wasm after gradient steps', async () => {
    await tf.setBackend('wasm')
    const { images, labels, params } = inputs()
    const step = () =>
      tf.tidy(() => {
        const grads = tf.grads((...p: tf.Tensor[]) => loss(images, labels, p))(params)
        return tf.addN(grads.map((g) => tf.sum(g)))
      })
    tf.dispose(step())
    const before = tf.backend().numDataIds()
    for (let i = 0; i < 3; i++) tf.dispose(step())
    expect(tf.backend().numDataIds()).toBe(before)
    tf.dispose([images, labels, ...params])
  })

  it('dispatches no kernel wasm lacks once MicroAU kernels are registered', async () => {
    await tf.setBackend('cpu')
    const dispatched = await kernelsDispatchedBy(() => {
      const { images, labels, params } = inputs()
      return tf.grads((...p: tf.Tensor[]) => loss(images, labels, p))(params)
    })
    expect(dispatched).toContain(tf.Conv2DBackpropFilter)
    expect(unregisteredOn(dispatched, 'wasm')).toEqual([])
    restoreKernels('wasm')
    try {
      expect(unregisteredOn(dispatched, 'wasm')).toEqual([tf.Conv2DBackpropFilter])
    } finally {
      registerTrainingKernels('wasm')
    }
  })
})
