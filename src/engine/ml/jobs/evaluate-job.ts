import { defineJobKind } from '../../jobs/job-kind'
import { evaluateModel } from '../eval/evaluate-model'
import { ML_JOB_KINDS, evaluateJobInputSchema } from './schemas'

/** Job kind name of re-evaluation. */
export const EVALUATE_KIND = ML_JOB_KINDS.evaluate

/** Re-tests a model's fold models on the current labels (see evaluateModel). */
export const evaluateJob = defineJobKind({
  kind: EVALUATE_KIND,
  input: evaluateJobInputSchema,
  run: (input, ctx) => evaluateModel(input, ctx),
})
