import { AppError } from '../../../shared/errors'
import type { RgbImage } from '../../media/image-io'
import { apexSpottingParams, scoreFrames } from '../../signal-jobs/apex-curves'
import type { ClipFrameSource } from '../data/clip-images'
import { centreCropOffset, cropInto, resizeRgb } from '../data/image-ops'
import { magnifyKeyFrames } from '../data/magnified-frames'
import type { InputGeometry } from '../data/batch-tensors'
import type { AuModel } from '../model/au-model'
import { defaultCamStage, gradCam, type GradCamMap } from '../model/grad-cam'
import { preprocessPixels } from '../model/preprocess'
import { tf } from '../tf'

/**
 * The magnified apex of a clip (apex spotted when not given, with the spotting setting of
 * the clip's frame rate, 200 fps when unknown): one streaming pass to spot it, one to magnify
 * up to it, each holding one frame at a time. `what` names the clip in the error when `apex`
 * is not one of its frames.
 */
export async function magnifiedApex(
  frames: ClipFrameSource,
  what: string,
  options: { apex?: number; fps?: number } = {},
): Promise<{ apex: number; image: RgbImage; estimated: boolean }> {
  const { apex } = options
  const frame = apex ?? (await scoreFrames(frames(), apexSpottingParams(options.fps))).apexFrame
  const image = (await magnifyKeyFrames(frames(), new Set([frame]))).get(frame)
  if (image === undefined) {
    throw new AppError('invalid_input', `${frame} is not a frame of ${what}`, { apex: frame })
  }
  return { apex: frame, image, estimated: apex === undefined }
}

/** The centre crop the model sees, as 8-bit RGB (crop × crop). */
export function modelView(image: RgbImage, geometry: InputGeometry): RgbImage {
  const resized = resizeRgb(image, geometry.resizeSize, geometry.resizeSize)
  const offset = centreCropOffset(geometry.resizeSize, geometry.cropSize)
  const floats = new Float32Array(geometry.cropSize * geometry.cropSize * 3)
  cropInto(resized, geometry.resizeSize, geometry.cropSize, offset, offset, floats, 0)
  return { width: geometry.cropSize, height: geometry.cropSize, data: Uint8Array.from(floats) }
}

/**
 * AU probabilities and Grad-CAM maps of one model view, of `stage` (0-based) or the default
 * stage (defaultCamStage).
 */
export function explainView(
  model: AuModel,
  view: RgbImage,
  geometry: InputGeometry,
  auIndices: readonly number[],
  stage?: number,
): { probabilities: number[]; maps: GradCamMap[] } {
  const input = tf.tidy(() =>
    preprocessPixels(
      tf.tensor4d(Float32Array.from(view.data), [1, view.height, view.width, 3]),
      geometry.preprocessing,
    ),
  )
  try {
    const probabilities = tf.tidy(() => tf.sigmoid(model.apply(input, { training: false }).logits))
    const values = Array.from(probabilities.dataSync())
    probabilities.dispose()
    return {
      probabilities: values,
      maps: gradCam(model, input, auIndices, {
        stage: stage ?? defaultCamStage(model.layout),
      }),
    }
  } finally {
    input.dispose()
  }
}
