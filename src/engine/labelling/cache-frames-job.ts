import path from 'node:path'
import { z } from 'zod'
import { AppError } from '../../shared/errors'
import {
  getClipRecord,
  setFrameKeys,
  uncachedFrames,
  type ClipRecord,
} from '../db/queries/clip-frames'
import { defineJobKind, type JobContext } from '../jobs/job-kind'
import { extractVideoFrames } from '../media/extract-frames'
import { importFrameImages } from '../media/import-frames'

/** The job kind that puts clips' frames into the frame cache so the viewer can show them. */
export const CACHE_FRAMES_KIND = 'clips.cacheFrames'

/** Input of a cache-frames job: the clips whose frames to cache. */
export const cacheFramesInput = z
  .object({
    clipIds: z.array(z.number().int().positive().max(Number.MAX_SAFE_INTEGER)).min(1).max(10_000),
  })
  .strict()

/** Progress is stored and pushed at most this often (a frame takes a few milliseconds). */
const PROGRESS_INTERVAL_MS = 100

/**
 * Caches every frame of the given clips that is not cached yet: frame folders through the
 * media importer (one ffmpeg run per clip), videos by extracting all their frames. Each
 * clip's keys are written when the clip is done, so a cancelled job keeps the finished
 * clips and running it again picks up where it stopped.
 */
export const cacheFramesJob = defineJobKind({
  kind: CACHE_FRAMES_KIND,
  input: cacheFramesInput,
  async run(input, ctx) {
    const work = input.clipIds.map((clipId) => ({
      clip: getClipRecord(ctx.db, clipId),
      frames: uncachedFrames(ctx.db, clipId),
    }))
    const total = work.reduce((sum, w) => sum + w.frames.length, 0)
    let done = 0
    let reported = 0
    const report = (count: number, message: string) => {
      const now = Date.now()
      if (now - reported >= PROGRESS_INTERVAL_MS || count === total) {
        reported = now
        ctx.progress({ done: count, total, message })
      }
    }
    for (const [index, { clip, frames }] of work.entries()) {
      if (frames.length === 0) continue
      const message = `Preparing the frames of ${clip.subject}/${clip.name} (clip ${index + 1} of ${work.length})`
      const onProgress = (p: { done: number }) =>
        report(done + Math.min(p.done, frames.length), message)
      await cacheClipFrames(ctx, clip, frames, onProgress)
      done += frames.length
      report(done, message)
    }
    return { clips: work.length, frames: total }
  },
})

/**
 * Puts the given frames of one clip into the frame cache and records their keys in one
 * transaction: a frame-folder clip converts just those files, a video is decoded up to the
 * last frame asked for and only the frames from the first to the last are cached (numbered by
 * decoding order).
 */
export async function cacheClipFrames(
  ctx: Pick<JobContext<unknown>, 'db' | 'frameCacheDir' | 'signal'>,
  clip: ClipRecord,
  frames: readonly { number: number; file: string | null }[],
  onProgress: (p: { done: number }) => void,
): Promise<void> {
  const options = { signal: ctx.signal, onProgress }
  // Only the clip's own frames: a spotted interval of a long recording must not cache the
  // whole recording.
  const range = {
    first: Math.min(...frames.map((f) => f.number)),
    last: Math.max(...frames.map((f) => f.number)),
  }
  const keys =
    clip.sourceKind === 'video'
      ? (await extractVideoFrames(clip.sourcePath, ctx.frameCacheDir, { ...options, range })).frames
      : (
          await importFrameImages(
            frames.map((f) => ({ number: f.number, file: frameFile(clip, f) })),
            ctx.frameCacheDir,
            options,
          )
        ).frames
  const wanted = new Set(frames.map((f) => f.number))
  setFrameKeys(
    ctx.db,
    clip.id,
    keys.filter((k) => wanted.has(k.number)),
  )
}

function frameFile(
  clip: { sourcePath: string; subject: string; name: string },
  frame: { number: number; file: string | null },
): string {
  if (frame.file === null) {
    throw new AppError(
      'invalid_file',
      `Frame ${frame.number} of clip ${clip.subject}/${clip.name} has no image file in the library.`,
      { number: frame.number },
    )
  }
  return path.resolve(clip.sourcePath, frame.file)
}
