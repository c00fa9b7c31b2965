import { z } from 'zod'
import type { MagnifyClipResult, MagnifyJobResult } from '../../shared/signal'
import { idSchema } from '../../shared/schemas'
import { defineJobKind } from '../jobs/job-kind'
import { magnifyClipIntoCache } from './magnified-cache'
import { throttledProgress } from './progress'
import { magnifySettingsSchema } from './settings'

/** The job kind that magnifies whole clips into the frame cache. */
export const MAGNIFY_KIND = 'signal.magnify'

/** Input of a magnification job: the clips, and the settings with every value filled in. */
export const magnifyJobInput = z
  .object({
    clipIds: z.array(idSchema).min(1).max(100_000),
    settings: magnifySettingsSchema,
  })
  .strict()
  .refine((input) => input.settings.r1 > input.settings.r2, {
    message: 'r2 must be smaller than r1',
    path: ['settings', 'r2'],
  })

/**
 * Magnifies each clip (one at a time) into the frame cache and magnified_frames; a clip
 * whose frames are all cached for the settings is skipped. Progress counts the frames of
 * the clip being magnified; cancelling stops within one frame and keeps the clips done.
 */
export const magnifyJob = defineJobKind({
  kind: MAGNIFY_KIND,
  input: magnifyJobInput,
  async run(input, ctx): Promise<MagnifyJobResult> {
    const report = throttledProgress(ctx.progress)
    const clips: MagnifyClipResult[] = []
    for (const [index, clipId] of input.clipIds.entries()) {
      const of = input.clipIds.length > 1 ? ` (clip ${index + 1} of ${input.clipIds.length})` : ''
      const result = await magnifyClipIntoCache(ctx.db, ctx.frameCacheDir, clipId, input.settings, {
        signal: ctx.signal,
        onProgress: (done, total, message) => report({ done, total, message: message + of }),
      })
      clips.push(result)
      report({
        done: result.frames,
        total: result.frames,
        message: `${result.cached ? 'Already magnified' : 'Magnified'}: clip ${clipId}${of}`,
      })
    }
    return { settings: input.settings, clips }
  },
})
