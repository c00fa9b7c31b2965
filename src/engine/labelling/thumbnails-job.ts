import { z } from 'zod'
import type { CoderKind } from '../../shared/coding'
import { getClipRecord, uncachedFrames } from '../db/queries/clip-frames'
import { readCodesOfClips } from '../db/queries/codes'
import { listCoders } from '../db/queries/coders'
import { getDataset } from '../db/queries/datasets'
import { nearestCachedFrameKey, readLibraryClips } from '../db/queries/library'
import { defineJobKind } from '../jobs/job-kind'
import { cacheClipFrames } from './cache-frames-job'
import { thumbnailFrame } from './thumbnail-frame'

/** The job kind that gives every card of a dataset its picture (queued after each import). */
export const THUMBNAILS_KIND = 'clips.thumbnails'

/** Input of a thumbnails job: the dataset whose cards need a picture. */
export const thumbnailsInput = z
  .object({ datasetId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER) })
  .strict()

/** Progress is stored and pushed at most this often, so the library can fill cards in. */
const PROGRESS_INTERVAL_MS = 250

/**
 * Caches the thumbnail frame (`thumbnailFrame`) of every clip of the dataset that has no
 * cached frame yet, one clip at a time (a video is decoded only up to that frame). Each clip's key is
 * written as soon as it is done, so cancelling keeps the finished cards and a resumed (or
 * repeated) job skips them.
 */
export const thumbnailsJob = defineJobKind({
  kind: THUMBNAILS_KIND,
  input: thumbnailsInput,
  async run(input, ctx) {
    const dataset = getDataset(ctx.db, input.datasetId)
    const kinds = new Map<number, CoderKind>(listCoders(ctx.db).map((c) => [c.id, c.kind]))
    const missing = readLibraryClips(ctx.db, input.datasetId).filter(
      (clip) => nearestCachedFrameKey(ctx.db, clip.id, clip.firstFrame) === null,
    )
    let reported = 0
    const report = (done: number) => {
      const now = Date.now()
      if (now - reported < PROGRESS_INTERVAL_MS && done < missing.length) return
      reported = now
      const message = `Thumbnails of ${dataset.name}: ${done} of ${missing.length} clips`
      ctx.progress({ done, total: missing.length, message })
    }
    report(0)
    for (const [index, row] of missing.entries()) {
      const coded = [...(readCodesOfClips(ctx.db, [row.id]).get(row.id) ?? [])]
      const target = thumbnailFrame(row, coded, (id) => kinds.get(id) ?? 'human')
      const clip = getClipRecord(ctx.db, row.id)
      const frames = uncachedFrames(ctx.db, row.id)
      const nearest = nearestOf(frames, target)
      // One frame, also of a video: a long recording must not fill the cache after an import.
      if (nearest) await cacheClipFrames(ctx, clip, [nearest], () => {})
      report(index + 1)
    }
    return { clips: missing.length }
  },
})

/** The frame whose number is closest to `target` (the lower one on a tie). */
function nearestOf<F extends { number: number }>(frames: readonly F[], target: number): F | null {
  let best: F | null = null
  for (const frame of frames) {
    if (!best || Math.abs(frame.number - target) < Math.abs(best.number - target)) best = frame
  }
  return best
}
