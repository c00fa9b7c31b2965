import { importRequestSchema } from '../../../shared/schemas'
import { defineJobKind } from '../../jobs/job-kind'
import { importDataset } from '../import/import-dataset'

/** `datasets.import`: any importer, in the worker; the report is the job's result. */
export const importJob = defineJobKind({
  kind: 'datasets.import',
  input: importRequestSchema,
  async run(input, ctx) {
    ctx.progress({ done: 0, total: 1, message: `Importing ${input.format} into ${input.dataset}` })
    const report = await importDataset(ctx.db, input)
    ctx.progress({
      done: 1,
      total: 1,
      message: `${report.clips} clips, ${report.flags.length} flags`,
    })
    return report
  },
})
