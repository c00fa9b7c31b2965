import { apexBatch, type InputGeometry } from '../data/batch-tensors'
import type { TrainingClip } from '../data/training-set'
import { AU_HEAD, parameterName } from '../model/architecture'
import type { AuModel } from '../model/au-model'
import { tf } from '../tf'
import { fitAuHead, type AuHeadFitOptions } from './au-head-fit'

/**
 * What the AU head reads (inference mode) for each clip's centre-cropped magnified apex, the
 * frame the model is tested on: its pooled backbone features, minus its onset's for a model
 * that compares with the onset; `chunk` clips at a time.
 */
export function apexFeatures(
  model: AuModel,
  clips: readonly TrainingClip[],
  geometry: InputGeometry,
  chunk = 8,
): Float32Array[] {
  const rows: Float32Array[] = []
  for (let start = 0; start < clips.length; start += chunk) {
    const part = clips.slice(start, start + chunk)
    const batch = apexBatch(part, geometry, model.comparesWithOnset)
    try {
      const features = tf.tidy(() => {
        const options = { training: false, onsetRows: part.length }
        const all = model.headInput(model.apply(batch.input, options).features, options)
        return all.slice([0, 0], [part.length, all.shape[1]])
      })
      const values = features.dataSync() as Float32Array
      features.dispose()
      const d = features.shape[1]
      for (let i = 0; i < part.length; i++) rows.push(values.slice(i * d, (i + 1) * d))
    } finally {
      tf.dispose([batch.input, batch.labels])
    }
  }
  return rows
}

/**
 * Sets the model's AU head to the class-weighted ridge logistic regression of its clips'
 * labels on the backbone's current features (au-head-fit.ts). A linear probe is exactly
 * this; fine-tuning from pretrained weights starts from it (LP-FT: Kumar et al., "Fine-
 * Tuning can Distort Pretrained Features and Underperform Out-of-Distribution", ICLR 2022),
 * so the backbone's first updates follow a head that already separates the AUs rather than
 * a random one.
 */
export function fitHeadOnFeatures(
  model: AuModel,
  clips: readonly TrainingClip[],
  geometry: InputGeometry,
  options: AuHeadFitOptions,
): void {
  const features = apexFeatures(model, clips, geometry)
  const head = fitAuHead(
    features,
    clips.map((c) => c.labels),
    options,
  )
  model.params.assign(parameterName(AU_HEAD, 'kernel'), head.kernel)
  model.params.assign(parameterName(AU_HEAD, 'bias'), head.bias)
}
