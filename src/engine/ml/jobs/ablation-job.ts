import { defineJobKind } from '../../jobs/job-kind'
import { runAblation } from '../eval/ablation'
import type { AblationResult } from '../../../shared/ml'
import { ML_JOB_KINDS, storedAblationJobInputSchema } from './schemas'

/** Job kind name of the ablation. */
export const ABLATION_KIND = ML_JOB_KINDS.ablation

/** Several variants on the same folds and seeds (see runAblation). */
export const ablationJob = defineJobKind<
  typeof storedAblationJobInputSchema,
  AblationResult,
  unknown
>({
  kind: ABLATION_KIND,
  input: storedAblationJobInputSchema,
  run: (input, ctx) => runAblation(input, ctx),
})
