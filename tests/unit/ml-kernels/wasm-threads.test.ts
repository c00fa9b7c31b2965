import { describe, expect, it } from 'vitest'
import { selectBackend } from '../../../src/engine/ml/backend'
import { tf } from '../../../src/engine/ml/tf'
import { TOLERANCE, cpuVersusWasm, values } from './helpers'

describe('the multi-threaded wasm build in Node', () => {
  it('loads with the asked thread count and computes what cpu does', async () => {
    const report = await selectBackend({ prefer: 'wasm', wasmThreads: 2 })
    expect(report.name).toBe('wasm')
    expect(report.threads).toBe(2)
    expect(report.reason).toContain('pthreads build, 2 threads')
    const diff = await cpuVersusWasm(() => {
      // Large enough for XNNPACK to split the work between threads.
      const x = tf.tensor4d(values(4 * 16 * 16 * 8, 1), [4, 16, 16, 8])
      const w = tf.tensor4d(values(3 * 3 * 8 * 16, 2), [3, 3, 8, 16])
      const f = (a: tf.Tensor, b: tf.Tensor) =>
        tf.mean(tf.square(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same')))
      return tf.grads(f)([x, w])
    })
    expect(diff).toBeLessThanOrEqual(TOLERANCE)
  })
})
