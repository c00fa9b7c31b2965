import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AuModel } from '../../../src/engine/ml/model/au-model'
import { gradCam } from '../../../src/engine/ml/model/grad-cam'
import { MODEL_PRESETS } from '../../../src/engine/ml/model/presets'
import { AU_HEAD, parameterName } from '../../../src/engine/ml/model/architecture'
import { tf } from '../../../src/engine/ml/tf'

// The tiny SE-ResNet with a head that compares each frame with its clip's onset.
const CONFIG = { ...MODEL_PRESETS.tiny.model, headInput: 'frame-minus-onset' as const }
const AUS = ['1', '2', '4']
let model: AuModel

beforeAll(async () => {
  await tf.setBackend('cpu')
  model = AuModel.create(CONFIG, AUS, { seed: 3 })
})
afterAll(() => model.dispose())

const images = (n: number, seed: number) =>
  tf.randomUniform(
    [n, CONFIG.inputSize, CONFIG.inputSize, 3],
    -80,
    80,
    'float32',
    seed,
  ) as tf.Tensor4D

/** head(a − o) computed by hand from the features and the head's weights. */
function expectedLogits(features: number[][], clip: number, row: number, clips: number): number[] {
  const kernel = model.params.get(parameterName(AU_HEAD, 'kernel')).arraySync() as number[][]
  const bias = model.params.get(parameterName(AU_HEAD, 'bias')).arraySync() as number[]
  const onset = features[features.length - clips + clip]
  return bias.map((b, a) => features[row].reduce((s, f, j) => s + (f - onset[j]) * kernel[j][a], b))
}

describe('an AU head that compares each frame with its clip onset', () => {
  it('reads each row minus its clip’s onset row, in kind-major blocks', () => {
    // 2 clips × (apex, close, onset) = 6 rows; the onset block last.
    const x = images(6, 1)
    const out = model.apply(x, { training: false, onsetRows: 2 })
    const features = out.features.arraySync()
    const logits = out.logits.arraySync()
    for (let row = 0; row < 6; row++) {
      const expected = expectedLogits(features, row % 2, row, 2)
      logits[row].forEach((z, a) => expect(z).toBeCloseTo(expected[a], 4))
    }
    // An onset row against itself leaves the bias alone.
    const bias = model.params.get(parameterName(AU_HEAD, 'bias')).arraySync() as number[]
    logits[4].forEach((z, a) => expect(z).toBeCloseTo(bias[a], 6))
    tf.dispose([x, out])
  })

  it('refuses input without the onset rows, naming what it needs', () => {
    const x = images(3, 2)
    expect(() => model.apply(x, { training: false })).toThrow(/onset/)
    expect(() => model.apply(x, { training: false, onsetRows: 2 })).toThrow(/3 rows/)
    x.dispose()
  })

  it('gives the same logits from a stage output as from the whole pass', () => {
    const x = images(2, 4)
    const full = model.apply(x, { training: false, onsetRows: 1 })
    const stage = model.stageOutput(x, { training: false }, 1)
    const resumed = model.logitsFromStage(stage, 1, { training: false, onsetRows: 1 })
    const a = full.logits.dataSync()
    const b = resumed.dataSync()
    for (let i = 0; i < a.length; i++) expect(b[i]).toBeCloseTo(a[i], 4)
    tf.dispose([x, full, stage, resumed])
  })

  it('explains the apex with Grad-CAM: the onset shifts the logit, not its gradient', () => {
    const [apex, onset] = tf.split(images(2, 5), 2) as tf.Tensor4D[]
    const maps = gradCam(model, apex, [0, 1, 2], { onset })
    // The same weights with a head that reads the frame alone: the onset's features are a
    // constant of the apex's logit, so the maps must be the same.
    const weights = Object.fromEntries(model.params.entries().map(([n, v]) => [n, v as tf.Tensor]))
    const plain = AuModel.fromWeights(MODEL_PRESETS.tiny.model, AUS, weights)
    const alone = gradCam(plain, apex, [0, 1, 2])
    maps.forEach((m, k) => {
      expect(m.peak).toBeCloseTo(alone[k].peak, 5)
      m.values.forEach((v, i) => expect(v).toBeCloseTo(alone[k].values[i], 5))
    })
    expect(() => gradCam(model, apex, [0])).toThrow(/onset/)
    plain.dispose()
    tf.dispose([apex, onset])
  })
})
