import { AppError } from '../../../shared/errors'
import type { SpotCandidate } from '../../../shared/spotting'
import type { LibraryDb } from '../../db/open-library'
import { adjustSpot, decideSpot, listSpotCandidates } from '../../spotting/queue'
import { checkSpotRecording, SPOT_RECORDING_KIND } from '../../spotting/spot-recording-job'
import type { HandlerGroup } from './types'

/**
 * The spotting queue: spotted intervals of recordings, a coder's decisions and adjustments,
 * and the job that imports and spots a recording.
 */
export const spottingHandlers: HandlerGroup<
  'spotting.candidates' | 'spotting.decide' | 'spotting.adjust' | 'spotting.spotRecording'
> = {
  'spotting.candidates': (input, ctx) => listSpotCandidates(ctx.db, input),
  'spotting.decide': (input, ctx) => {
    decideSpot(ctx.db, input)
    return candidate(ctx.db, input.clipId, input.coderId)
  },
  'spotting.adjust': (input, ctx) => {
    adjustSpot(ctx.db, input)
    ctx.emit('data.changed', { entity: 'labels', ids: [input.clipId] })
    return candidate(ctx.db, input.clipId, input.coderId)
  },
  'spotting.spotRecording': (input, ctx) => {
    checkSpotRecording(ctx.db, input)
    return ctx.jobs.start(SPOT_RECORDING_KIND, input)
  },
}

function candidate(db: LibraryDb, clipId: number, coderId: number): SpotCandidate {
  const [row] = listSpotCandidates(db, { coderId, clipId })
  if (!row) throw new AppError('not_found', `Clip ${clipId} is not a spotted interval.`, { clipId })
  return row
}
