import { z } from 'zod'
import { idSchema } from '../../../shared/schemas'
import { defineJobKind } from '../../jobs/job-kind'
import { createFaceApiDetector } from '../../media/face/face-api-detector'
import { cropClipFaces } from '../face-crop'

/** `clips.faceCrop`: face detection and eye alignment for a dataset's clips, in the worker. */
export const faceCropJob = defineJobKind({
  kind: 'clips.faceCrop',
  input: z
    .object({ datasetId: idSchema, clipIds: z.array(idSchema).min(1).max(100_000).optional() })
    .strict(),
  async run(input, ctx) {
    const ids =
      input.clipIds ??
      (ctx.db
        .prepare('SELECT id FROM clips WHERE dataset_id = ? ORDER BY id')
        .pluck()
        .all(input.datasetId) as number[])
    ctx.progress({ done: 0, total: ids.length, message: 'Loading the face detector' })
    const detector = await createFaceApiDetector()
    const results = await cropClipFaces(ctx.db, ids, detector, {
      signal: ctx.signal,
      onProgress: (done, total) =>
        ctx.progress({ done, total, message: `Face crop ${done}/${total}` }),
    })
    return { cropped: results.filter((r) => r.crop).length, results }
  },
})
