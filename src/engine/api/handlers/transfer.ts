import { listImports } from '../../db/queries/imports'
import type { HandlerGroup } from './types'

/** Getting datasets in and out: imports and exports run as jobs. */
export const transferHandlers: HandlerGroup<
  'datasets.import' | 'datasets.export' | 'imports.list' | 'clips.faceCrop'
> = {
  'datasets.import': (input, ctx) => ctx.jobs.start('datasets.import', input),
  'datasets.export': (input, ctx) => ctx.jobs.start('datasets.export', input),
  'imports.list': (input, ctx) => listImports(ctx.db, input.datasetId),
  'clips.faceCrop': (input, ctx) => ctx.jobs.start('clips.faceCrop', input),
}
