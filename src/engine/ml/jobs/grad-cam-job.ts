import { AppError } from '../../../shared/errors'
import { defineJobKind } from '../../jobs/job-kind'
import { FrameStage } from '../../media/frame-cache'
import { encodePng } from '../../media/image-io'
import { selectBackend } from '../backend'
import { readCodedClips } from '../data/coded-clips'
import { defaultLabelCoderId } from '../data/label-coder'
import { prepareClipKeyFrames } from '../data/training-set'
import { clipViews, explainView } from '../infer/explain-clip'
import { gradCamOverlay } from '../infer/grad-cam-image'
import { modelGeometry } from '../model-geometry'
import { loadAuModel } from '../weights/tfjs-format'
import { ML_JOB_KINDS, gradCamJobInputSchema } from './schemas'

/** Job kind name of Grad-CAM images. */
export const GRAD_CAM_KIND = ML_JOB_KINDS.gradCam

/** Side of the overlay images (the model view is upsampled to at least this). */
export const OVERLAY_SIZE = 224

/**
 * Grad-CAM of a clip's magnified apex for each requested AU (all of the model's by
 * default), drawn over the model's view and stored in the frame cache; answers the keys.
 */
export const gradCamJob = defineJobKind({
  kind: GRAD_CAM_KIND,
  input: gradCamJobInputSchema,
  async run(input, ctx) {
    await selectBackend({ prefer: input.backend, purpose: 'inference' })
    const { model, sidecar } = await loadAuModel(input.modelDir)
    try {
      const aus = input.aus ?? model.auList
      const indices = aus.map((au) => {
        const k = model.auList.indexOf(au)
        if (k < 0) {
          throw new AppError(
            'invalid_input',
            `The model does not detect AU ${au} (it has ${model.auList.join(', ')})`,
            { au },
          )
        }
        return k
      })
      const [clip] = readCodedClips(ctx.db, null, { clipIds: [input.clipId] }, true)
      if (!clip)
        throw new AppError('not_found', `There is no clip with id ${input.clipId}.`, {
          clipId: input.clipId,
        })
      const coderId = defaultLabelCoderId(ctx.db, clip.datasetId)
      const coded =
        coderId === null ? [] : readCodedClips(ctx.db, coderId, { clipIds: [input.clipId] })
      const prepared = await prepareClipKeyFrames(
        ctx.db,
        ctx.frameCacheDir,
        coded[0] ?? clip,
        coded[0] ? coderId : null,
        ctx.signal,
      )
      const geometry = modelGeometry(sidecar)
      const views = clipViews(
        { image: prepared.frames.get(prepared.apex)!, onset: prepared.frames.get(prepared.onset)! },
        geometry,
      )
      const { probabilities, maps } = explainView(model, views, geometry, indices)
      const stage = await FrameStage.open(ctx.frameCacheDir)
      try {
        const images = []
        for (const map of maps) {
          const overlay = gradCamOverlay(views.apex, map, Math.max(OVERLAY_SIZE, geometry.cropSize))
          images.push({
            au: map.au,
            key: await stage.put(encodePng(overlay)),
            peak: map.peak,
            probability: probabilities[map.auIndex],
          })
        }
        await stage.commit()
        return {
          clipId: input.clipId,
          frame: prepared.apex,
          apexEstimated: prepared.apexEstimated,
          images,
        }
      } catch (error) {
        await stage.discard()
        throw error
      }
    } finally {
      model.dispose()
    }
  },
})
