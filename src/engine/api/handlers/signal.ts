import { getClipRecord } from '../../db/queries/clip-frames'
import { getCoder } from '../../db/queries/coders'
import { getDataset } from '../../db/queries/datasets'
import { iirPassBandHz } from '../../signal'
import { readApexCurve } from '../../signal-jobs/apex-curves'
import { APEX_KIND } from '../../signal-jobs/apex-job'
import { FILL_MISSING_APEX_KIND } from '../../signal-jobs/fill-missing-apex-job'
import { MAGNIFY_KIND } from '../../signal-jobs/magnify-job'
import { readMagnifiedFrames } from '../../signal-jobs/magnified-cache'
import { resolveMagnifySettings } from '../../signal-jobs/settings'
import type { HandlerGroup } from './types'

/** Eulerian magnification and apex spotting for the viewer, the CLI and training. */
export const signalHandlers: HandlerGroup<
  | 'signal.magnify'
  | 'signal.magnified'
  | 'signal.apex'
  | 'signal.apexCurve'
  | 'signal.passBand'
  | 'signal.fillMissingApex'
> = {
  'signal.magnify': (input, ctx) => {
    const { clipId, ...requested } = input
    getClipRecord(ctx.db, clipId)
    const settings = resolveMagnifySettings(requested)
    return ctx.jobs.start(MAGNIFY_KIND, { clipIds: [clipId], settings })
  },
  'signal.magnified': (input, ctx) => {
    getClipRecord(ctx.db, input.clipId)
    const settings = resolveMagnifySettings(input.params)
    return readMagnifiedFrames(ctx.db, ctx.frameCacheDir, input.clipId, settings)
  },
  'signal.apex': (input, ctx) => {
    getClipRecord(ctx.db, input.clipId)
    return ctx.jobs.start(APEX_KIND, { clipIds: [input.clipId] })
  },
  'signal.apexCurve': (input, ctx) => {
    getClipRecord(ctx.db, input.clipId)
    return readApexCurve(ctx.db, input.clipId)
  },
  'signal.passBand': (input) => {
    const { r1, r2 } = resolveMagnifySettings({ r1: input.r1, r2: input.r2 })
    return { fps: input.fps, r1, r2, ...iirPassBandHz(input.fps, r1, r2) }
  },
  'signal.fillMissingApex': (input, ctx) => {
    getDataset(ctx.db, input.datasetId)
    if (input.coderId !== undefined) getCoder(ctx.db, input.coderId)
    return ctx.jobs.start(FILL_MISSING_APEX_KIND, input)
  },
}
