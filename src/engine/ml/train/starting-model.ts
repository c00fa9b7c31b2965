import { AuModel } from '../model/au-model'
import { getPreset } from '../model/presets'
import { loadFaceApiWeights } from '../weights/face-api-weights'
import { importKerasH5 } from '../weights/keras-h5'
import type { TrainConfig } from './train-config'

/**
 * The model a training run starts from: seeded random weights, then the pretrained ones of
 * the run (a Keras .h5 file it names, else face-api's face-recognition weights for the
 * `face` preset); the AU head keeps its seeded start.
 */
export async function startingModel(
  config: TrainConfig,
  auList: readonly string[],
  seed: number,
): Promise<AuModel> {
  const model = AuModel.create(getPreset(config.preset).model, auList, { seed })
  try {
    if (config.weightsFile) await importKerasH5(model, config.weightsFile)
    else if (config.pretrained === 'face-api-recognition') await loadFaceApiWeights(model)
  } catch (error) {
    model.dispose()
    throw error
  }
  return model
}

/**
 * Marks every weight of the first `frozenStages` backbone stages not trainable (the stem
 * belongs to stage 0), so the optimiser and the gradients leave them as loaded. Returns
 * how many weights were frozen.
 */
export function freezeStages(model: AuModel, frozenStages: number): number {
  let frozen = 0
  for (const layerName of model.layout.stageLayers.slice(0, frozenStages).flat()) {
    for (const [name, variable] of model.params.entries()) {
      if (name.startsWith(`${layerName}/`) && variable.trainable) {
        variable.trainable = false
        frozen += variable.size
      }
    }
  }
  return frozen
}
