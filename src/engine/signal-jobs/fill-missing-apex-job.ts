import { z } from 'zod'
import { idSchema } from '../../shared/schemas'
import { defineJobKind } from '../jobs/job-kind'
import { fillMissingApexes } from './fill-missing-apex'

/** The job kind that spots and stores the apexes coders left out. */
export const FILL_MISSING_APEX_KIND = 'signal.fillMissingApex'

/** Input of a fill-missing-apex job: the dataset, optionally one coder. */
export const fillMissingApexInput = z
  .object({ datasetId: idSchema, coderId: idSchema.optional() })
  .strict()

/**
 * Spots the apex of every clip of a dataset coded without one (one clip at a time) and
 * stores it as estimated. Cancelling stops between clips; apexes stored so far stay.
 */
export const fillMissingApexJob = defineJobKind({
  kind: FILL_MISSING_APEX_KIND,
  input: fillMissingApexInput,
  run(input, ctx) {
    return fillMissingApexes(ctx.db, ctx.frameCacheDir, input, {
      signal: ctx.signal,
      onClip: (done, total) =>
        ctx.progress({ done, total, message: `Spotting missing apexes: clip ${done} of ${total}` }),
    })
  },
})
