import { clipReliability, datasetReliability } from '../../labelling/reliability-data'
import type { HandlerGroup } from './types'

/** Coder agreement on a clip and over a dataset. */
export const reliabilityHandlers: HandlerGroup<'reliability.clip' | 'reliability.dataset'> = {
  'reliability.clip': (input, ctx) => clipReliability(ctx.db, input.clipId, input.coderIds),
  'reliability.dataset': (input, ctx) =>
    datasetReliability(ctx.db, input.datasetId, input.coderIds),
}
