import type { InputGeometry } from './data/batch-tensors'
import { getPreset } from './model/presets'
import type { ModelSidecar } from './weights/sidecar'

/**
 * The input geometry a saved model was trained with: resize and crop sides from its
 * training record, else its preset's defaults; pixel pre-processing from its configuration.
 */
export function modelGeometry(sidecar: ModelSidecar): InputGeometry {
  const defaults = getPreset(sidecar.preset).training
  const training = sidecar.training ?? {}
  const side = (key: 'resizeSize' | 'cropSize') => {
    const value = training[key]
    return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : defaults[key]
  }
  return {
    resizeSize: side('resizeSize'),
    cropSize: side('cropSize'),
    preprocessing: sidecar.config.preprocessing,
  }
}
