import { z } from 'zod'
import type { ApexClipResult, ApexJobResult } from '../../shared/signal'
import { idSchema } from '../../shared/schemas'
import { defineJobKind } from '../jobs/job-kind'
import { apexCurveOf } from './apex-curves'
import { throttledProgress } from './progress'

/** The job kind that computes apex-spotting curves. */
export const APEX_KIND = 'signal.apex'

/** Input of an apex-spotting job: the clips. */
export const apexJobInput = z.object({ clipIds: z.array(idSchema).min(1).max(100_000) }).strict()

/**
 * Computes and caches the apex-spotting curve of each clip (one at a time); a clip whose
 * curve is cached is skipped. Progress counts the frames of the clip being scored; cancelling
 * stops within one frame.
 */
export const apexJob = defineJobKind({
  kind: APEX_KIND,
  input: apexJobInput,
  async run(input, ctx): Promise<ApexJobResult> {
    const report = throttledProgress(ctx.progress)
    const count = input.clipIds.length
    const clips: ApexClipResult[] = []
    for (const [index, clipId] of input.clipIds.entries()) {
      const of = count > 1 ? ` (clip ${index + 1} of ${count})` : ''
      const { curve, cached } = await apexCurveOf(ctx.db, ctx.frameCacheDir, clipId, {
        signal: ctx.signal,
        onProgress: (done, total, message) => report({ done, total, message: message + of }),
      })
      clips.push({ clipId, apexFrame: curve.apexFrame, cached })
      report({
        done: curve.numbers.length,
        total: curve.numbers.length,
        message: `Apex of clip ${clipId}: ${curve.apexFrame}${of}`,
      })
    }
    return { clips }
  },
})
