import { batchJobInput, BATCH_KIND } from '../../batch/batch-input'
import { batchTable } from '../../batch/batch-table'
import type { HandlerGroup } from './types'

/** Batch analysis of a folder of videos (a job) and its table. */
export const batchHandlers: HandlerGroup<'batch.analyze' | 'batch.table'> = {
  'batch.analyze': ({ folder, modelId, dataset, outDir, fps, threshold }, ctx) =>
    ctx.jobs.start(
      BATCH_KIND,
      batchJobInput(ctx.db, { folder, model: { id: modelId }, dataset, outDir, fps, threshold }),
    ),
  'batch.table': ({ datasetId, modelId, threshold }, ctx) =>
    batchTable(ctx.db, datasetId, modelId, threshold),
}
