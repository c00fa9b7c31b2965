import { apexBatch, type InputGeometry } from '../data/batch-tensors'
import type { TrainingClip } from '../data/training-set'
import type { AuModel } from '../model/au-model'
import { tf } from '../tf'

/**
 * AU probabilities of clips from their centre-cropped magnified apex frames (and onset
 * frames, for a model that compares with the onset) in inference mode, one row of
 * auList.length values per clip, in `batchSize` chunks.
 */
export function predictClipScores(
  model: AuModel,
  clips: readonly TrainingClip[],
  geometry: InputGeometry,
  batchSize = 16,
): Float32Array[] {
  const out: Float32Array[] = []
  for (let start = 0; start < clips.length; start += batchSize) {
    const chunk = clips.slice(start, start + batchSize)
    const batch = apexBatch(chunk, geometry, model.comparesWithOnset)
    try {
      const probabilities = tf.tidy(() => {
        const outputs = model.apply(batch.input, { training: false, onsetRows: chunk.length })
        return tf.sigmoid(outputs.logits.slice([0, 0], [chunk.length, model.auList.length]))
      })
      const values = probabilities.dataSync() as Float32Array
      probabilities.dispose()
      const m = model.auList.length
      for (let i = 0; i < chunk.length; i++) out.push(values.slice(i * m, (i + 1) * m))
    } finally {
      tf.dispose([batch.input, batch.labels])
    }
  }
  return out
}
