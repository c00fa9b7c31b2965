import { datasetAuKeys, setDatasetAuKey } from '../../labelling/au-keys'
import { coderCodes } from '../../labelling/clip-detail'
import { setTypedLabels } from '../../labelling/typed-labels'
import type { HandlerGroup } from './types'

/** How a coder enters AUs: typed sheet notation, and the dataset's number keys. */
export const auEntryHandlers: HandlerGroup<'labels.setTyped' | 'auKeys.get' | 'auKeys.set'> = {
  'labels.setTyped': ({ clipId, coderId, text }, ctx) => {
    const typed = setTypedLabels(ctx.db, clipId, coderId, text)
    ctx.emit('data.changed', { entity: 'labels', ids: [clipId] })
    return { ...typed, codes: coderCodes(ctx.db, clipId, coderId) }
  },
  'auKeys.get': ({ datasetId }, ctx) => datasetAuKeys(ctx.db, datasetId),
  'auKeys.set': ({ datasetId, au, key }, ctx) => setDatasetAuKey(ctx.db, datasetId, au, key),
}
