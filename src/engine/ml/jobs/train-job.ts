import { defineJobKind } from '../../jobs/job-kind'
import { runTraining, type TrainingResult } from '../train/training-run'
import { ML_JOB_KINDS, storedTrainJobInputSchema } from './schemas'

/** Job kind name of training. */
export const TRAIN_KIND = ML_JOB_KINDS.train

/** Cross-validated training of one variant, then the final model (see runTraining). */
export const trainJob = defineJobKind<typeof storedTrainJobInputSchema, TrainingResult, unknown>({
  kind: TRAIN_KIND,
  input: storedTrainJobInputSchema,
  run: (input, ctx) => runTraining(input, ctx),
})
