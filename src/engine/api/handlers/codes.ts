import { listDatasetLabels } from '../../db/queries/codes'
import { getDataset } from '../../db/queries/datasets'
import { coderCodes } from '../../labelling/clip-detail'
import { removeLabel, setLabel, setMarkers, toggleLabel } from '../../labelling/code-writes'
import { redoLastUndo, undoLastChange } from '../../labelling/history'
import type { EngineContext } from '../context'
import type { HandlerGroup } from './types'

/** Saves a coder's edit at once, tells listeners, and answers the coder's codes now. */
function edit(ctx: EngineContext, clipId: number, coderId: number, write: () => void) {
  write()
  ctx.emit('data.changed', { entity: 'labels', ids: [clipId] })
  return coderCodes(ctx.db, clipId, coderId)
}

/** The coders' labels of a dataset; a coder's edits of markers and labels, undo and redo. */
export const codeHandlers: HandlerGroup<
  | 'labels.list'
  | 'markers.set'
  | 'labels.set'
  | 'labels.remove'
  | 'labels.toggle'
  | 'history.undo'
  | 'history.redo'
> = {
  'labels.list': ({ datasetId, coderIds }, ctx) => {
    getDataset(ctx.db, datasetId)
    return listDatasetLabels(ctx.db, datasetId, coderIds)
  },
  'markers.set': ({ clipId, coderId, ...change }, ctx) =>
    edit(ctx, clipId, coderId, () => setMarkers(ctx.db, clipId, coderId, change)),
  'labels.set': ({ clipId, coderId, au, side, intensity, fromSide }, ctx) =>
    edit(ctx, clipId, coderId, () =>
      setLabel(ctx.db, clipId, coderId, { au, side, intensity }, fromSide),
    ),
  'labels.remove': ({ clipId, coderId, au, side }, ctx) =>
    edit(ctx, clipId, coderId, () => removeLabel(ctx.db, clipId, coderId, au, side)),
  'labels.toggle': ({ clipId, coderId, au }, ctx) =>
    edit(ctx, clipId, coderId, () => toggleLabel(ctx.db, clipId, coderId, au)),
  'history.undo': ({ clipId, coderId }, ctx) =>
    edit(ctx, clipId, coderId, () => undoLastChange(ctx.db, clipId, coderId)),
  'history.redo': ({ clipId, coderId }, ctx) =>
    edit(ctx, clipId, coderId, () => redoLastUndo(ctx.db, clipId, coderId)),
}
