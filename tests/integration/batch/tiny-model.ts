import { tf } from '../../../src/engine/ml/tf'
import { AuModel } from '../../../src/engine/ml/model/au-model'
import { MODEL_PRESETS } from '../../../src/engine/ml/model/presets'
import { saveAuModel } from '../../../src/engine/ml/weights/tfjs-format'

/**
 * Writes a real, untrained tiny-preset AU model (seeded weights) into `dir`: a model folder
 * exactly as training writes one, in well under a second, for tests that need a model but
 * not a good one. `record` adds fields to its training record (e.g. chosen thresholds).
 */
export async function saveTinyModel(
  dir: string,
  aus: readonly string[],
  seed = 5,
  record: Record<string, unknown> = {},
): Promise<void> {
  await tf.setBackend('cpu')
  const model = AuModel.create(MODEL_PRESETS.tiny.model, [...aus], { seed })
  try {
    await saveAuModel(dir, model, {
      preset: 'tiny',
      training: { variant: 'iicl', ...record } as { variant: string },
    })
  } finally {
    model.dispose()
  }
}
