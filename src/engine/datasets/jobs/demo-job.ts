import path from 'node:path'
import { z } from 'zod'
import { defineJobKind } from '../../jobs/job-kind'
import { importCasme2 } from '../import/casme2'
import { generateSyntheticDataset } from '../synthetic/generate'

/** The demo library: 12 synthetic subjects in the CASME II layout, always the same seed. */
export const DEMO = {
  dataset: 'Demo (synthetic)',
  subjects: 12,
  clipsPerSubject: 8,
  seed: 2021,
} as const

/**
 * `datasets.demo`: generates the synthetic demo dataset beside the library and imports it,
 * so a first start has clips to look at.
 */
export const demoJob = defineJobKind({
  kind: 'datasets.demo',
  input: z.object({}).strict(),
  async run(_input, ctx) {
    ctx.progress({ done: 0, total: 2, message: 'Generating the synthetic demo clips' })
    const outDir = path.join(`${ctx.libraryPath}.demo`)
    const synthetic = await generateSyntheticDataset({
      outDir,
      subjects: DEMO.subjects,
      clipsPerSubject: DEMO.clipsPerSubject,
      seed: DEMO.seed,
      format: 'casme2',
    })
    ctx.progress({ done: 1, total: 2, message: 'Importing the demo clips' })
    const report = await importCasme2(ctx.db, {
      sheet: synthetic.sheetPath,
      framesRoot: synthetic.framesRoot,
      dataset: DEMO.dataset,
    })
    ctx.progress({ done: 2, total: 2, message: `${report.clips} demo clips ready` })
    return report
  },
})
