import { listClips } from '../../db/queries/clips'
import { createDataset, listDatasets, renameDataset } from '../../db/queries/datasets'
import type { HandlerGroup } from './types'

/** Datasets and clips as the Library screen reads and edits them. */
export const libraryHandlers: HandlerGroup<
  'datasets.list' | 'datasets.create' | 'datasets.rename' | 'clips.list'
> = {
  'datasets.list': (_input, ctx) => listDatasets(ctx.db),
  'datasets.create': (input, ctx) => {
    const dataset = createDataset(ctx.db, input.name)
    ctx.emit('data.changed', { entity: 'datasets', ids: [dataset.id] })
    return dataset
  },
  'datasets.rename': (input, ctx) => {
    const dataset = renameDataset(ctx.db, input.id, input.name)
    ctx.emit('data.changed', { entity: 'datasets', ids: [dataset.id] })
    return dataset
  },
  'clips.list': (input, ctx) => listClips(ctx.db, input),
}
