import { defineJobKind } from '../../jobs/job-kind'
import { selectBackend } from '../backend'
import { modelIdFor, predictDataset, storePredictions } from '../infer/predict-dataset'
import { loadAuModel } from '../weights/tfjs-format'
import { ML_JOB_KINDS, predictJobInputSchema } from './schemas'

/** Job kind name of batch prediction. */
export const PREDICT_KIND = ML_JOB_KINDS.predict

/** AU probabilities of a dataset's clips, stored in predictions with the model's id. */
export const predictJob = defineJobKind({
  kind: PREDICT_KIND,
  input: predictJobInputSchema,
  async run(input, ctx) {
    const backend = await selectBackend({ prefer: input.backend, purpose: 'inference' })
    const { model, sidecar } = await loadAuModel(input.modelDir)
    try {
      const predictions = await predictDataset(ctx.db, ctx.frameCacheDir, model, sidecar, {
        datasetId: input.datasetId,
        clipIds: input.clipIds,
        signal: ctx.signal,
        onClip: (done, total) =>
          ctx.progress({ done, total, message: `Predicting clip ${done}/${total}` }),
      })
      const modelId = modelIdFor(ctx.db, input.modelDir, sidecar)
      storePredictions(ctx.db, modelId, predictions)
      return { modelId, backend: backend.name, auList: model.auList, predictions }
    } finally {
      model.dispose()
    }
  },
})
