/**
 * CPU ms of one taped forward + backward pass of a model by number of images: what a pass
 * costs whatever its size (kernel dispatch, per-call operator set-up) against what grows
 * with the images. Splitting a step over workers divides only the second part; every
 * worker pays the first.
 */
import type { AuModel } from '../../src/engine/ml/model/au-model'
import { tf } from '../../src/engine/ml/tf'

function taped(model: AuModel, x: tf.Tensor4D): void {
  const { value, grads } = tf.variableGrads(() => {
    const out = model.apply(x, { training: true, statistics: () => undefined })
    return tf.add(out.features.sum(), out.logits.sum()) as tf.Scalar
  }, model.params.trainableVariables())
  tf.dispose([value, ...Object.values(grads)])
}

/** Median process CPU ms of `passes` taped passes (after one warm-up) per image count. */
export function passCost(
  model: AuModel,
  side: number,
  counts: readonly number[],
  passes = 5,
): { images: number; cpuMs: number }[] {
  return counts.map((images) => {
    const x = tf.randomUniform([images, side, side, 3], -100, 100, 'float32', 1) as tf.Tensor4D
    try {
      taped(model, x)
      const cpu: number[] = []
      for (let i = 0; i < passes; i++) {
        const used = process.cpuUsage()
        taped(model, x)
        const { user, system } = process.cpuUsage(used)
        cpu.push((user + system) / 1000)
      }
      return { images, cpuMs: cpu.sort((a, b) => a - b)[Math.floor(passes / 2)] }
    } finally {
      x.dispose()
    }
  })
}
