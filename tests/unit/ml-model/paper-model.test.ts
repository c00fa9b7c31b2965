import { tf } from '../../../src/engine/ml/tf'
import { beforeAll, describe, expect, it } from 'vitest'
import { AU_HEAD } from '../../../src/engine/ml/model/architecture'
import { AuModel } from '../../../src/engine/ml/model/au-model'
import { MODEL_PRESETS } from '../../../src/engine/ml/model/presets'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

describe('paper preset model', () => {
  it('holds 26,092,144 backbone weights (26,039,024 trainable) and runs at 224', () => {
    const before = tf.memory().numTensors
    const model = AuModel.create(MODEL_PRESETS.paper.model, ['1', '2', '4'], { seed: 3 })

    let total = 0
    let trainable = 0
    for (const [name, v] of model.params.entries()) {
      if (name.startsWith(`${AU_HEAD}/`)) continue
      total += v.size
      if (v.trainable) trainable += v.size
    }
    expect(total).toBe(26_092_144)
    expect(trainable).toBe(26_039_024)
    expect(model.params.trainableVariables().length).toBe(
      model.params.entries().filter(([, v]) => v.trainable).length,
    )

    const image = tf.randomUniform([1, 224, 224, 3], -100, 100, 'float32', 5) as tf.Tensor4D
    const out = model.apply(image, { training: false })
    expect(out.lastStage.shape).toEqual([1, 7, 7, 2048])
    expect(out.features.shape).toEqual([1, 2048])
    expect(out.logits.shape).toEqual([1, 3])
    expect([...out.logits.dataSync()].every(Number.isFinite)).toBe(true)
    // the feature is the spatial mean of the last stage
    const gap = tf.tidy(
      () => tf.max(tf.abs(tf.sub(out.lastStage.mean([1, 2]), out.features))).dataSync()[0],
    )
    expect(gap).toBeLessThan(1e-3)

    tf.dispose([image, out])
    model.dispose()
    expect(tf.memory().numTensors).toBe(before)
  })
})
