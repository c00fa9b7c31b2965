import { exportRequestSchema } from '../../../shared/schemas'
import { defineJobKind } from '../../jobs/job-kind'
import { exportDataset } from '../export/export-dataset'

/** `datasets.export`: any exporter, in the worker. */
export const exportJob = defineJobKind({
  kind: 'datasets.export',
  input: exportRequestSchema,
  async run(input, ctx) {
    ctx.progress({ done: 0, total: 1, message: `Exporting ${input.dataset} as ${input.format}` })
    const summary = await exportDataset(ctx.db, input)
    ctx.progress({ done: 1, total: 1, message: `Wrote ${summary.out}` })
    return summary
  },
})
