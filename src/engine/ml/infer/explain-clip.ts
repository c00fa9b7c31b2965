import { AppError } from '../../../shared/errors'
import type { RgbImage } from '../../media/image-io'
import { apexSpottingParams, scoreFrames } from '../../signal-jobs/apex-curves'
import type { ClipFrameSource } from '../data/clip-images'
import { centreCropOffset, cropInto, resizeRgb } from '../data/image-ops'
import { magnifyFrames, TRAINING_MAGNIFICATION } from '../data/magnified-frames'
import type { InputGeometry } from '../data/batch-tensors'
import type { AuModel } from '../model/au-model'
import { defaultCamStage, gradCam, type GradCamMap } from '../model/grad-cam'
import { preprocessPixels } from '../model/preprocess'
import { tf } from '../tf'

/**
 * The magnified apex of a clip (apex spotted when not given, with the spotting setting of
 * the clip's frame rate, 200 fps when unknown) and its first frame, the onset of a clip
 * given as files: one streaming pass to spot the apex, one to magnify up to it, each holding
 * one frame at a time. `what` names the clip in the error when `apex` is not one of its frames.
 */
export async function magnifiedApex(
  frames: ClipFrameSource,
  what: string,
  options: { apex?: number; fps?: number } = {},
): Promise<{ apex: number; image: RgbImage; onset: RgbImage; estimated: boolean }> {
  const { apex } = options
  const frame = apex ?? (await scoreFrames(frames(), apexSpottingParams(options.fps))).apexFrame
  let onset: RgbImage | undefined
  let image: RgbImage | undefined
  await magnifyFrames(frames(), TRAINING_MAGNIFICATION, (number, magnified) => {
    onset ??= magnified
    if (number < frame) return undefined
    if (number === frame) image = magnified
    return 'stop'
  })
  if (image === undefined || onset === undefined) {
    throw new AppError('invalid_input', `${frame} is not a frame of ${what}`, { apex: frame })
  }
  return { apex: frame, image, onset, estimated: apex === undefined }
}

/** The centre crop the model sees, as 8-bit RGB (crop × crop). */
export function modelView(image: RgbImage, geometry: InputGeometry): RgbImage {
  const resized = resizeRgb(image, geometry.resizeSize, geometry.resizeSize)
  const offset = centreCropOffset(geometry.resizeSize, geometry.cropSize)
  const floats = new Float32Array(geometry.cropSize * geometry.cropSize * 3)
  cropInto(resized, geometry.resizeSize, geometry.cropSize, offset, offset, floats, 0)
  return { width: geometry.cropSize, height: geometry.cropSize, data: Uint8Array.from(floats) }
}

/** A model view pre-processed into network input [1, H, W, 3]. */
function viewInput(view: RgbImage, geometry: InputGeometry): tf.Tensor4D {
  return tf.tidy(() =>
    preprocessPixels(
      tf.tensor4d(Float32Array.from(view.data), [1, view.height, view.width, 3]),
      geometry.preprocessing,
    ),
  )
}

/** The model views of a clip's magnified apex and onset frames. */
export function clipViews(
  frames: { image: RgbImage; onset: RgbImage },
  geometry: InputGeometry,
): ClipViews {
  return { apex: modelView(frames.image, geometry), onset: modelView(frames.onset, geometry) }
}

/** The model views of a clip: its apex, and its onset (needed by a model that compares with it). */
export interface ClipViews {
  apex: RgbImage
  onset?: RgbImage
}

/**
 * AU probabilities and Grad-CAM maps of a clip's model views, of `stage` (0-based) or the
 * default stage (defaultCamStage). A model that compares with the onset needs views.onset
 * (a RangeError otherwise).
 */
export function explainView(
  model: AuModel,
  views: ClipViews,
  geometry: InputGeometry,
  auIndices: readonly number[],
  stage?: number,
): { probabilities: number[]; maps: GradCamMap[] } {
  if (model.comparesWithOnset && !views.onset) {
    throw new RangeError("this model compares with the clip's onset: give the onset view")
  }
  const input = viewInput(views.apex, geometry)
  const onset =
    model.comparesWithOnset && views.onset ? viewInput(views.onset, geometry) : undefined
  try {
    const probabilities = tf.tidy(() => {
      const x = onset ? tf.concat([input, onset]) : input
      const logits = model.apply(x, { training: false, onsetRows: 1 }).logits
      return tf.sigmoid(logits.slice([0, 0], [1, model.auList.length]))
    })
    const values = Array.from(probabilities.dataSync())
    probabilities.dispose()
    return {
      probabilities: values,
      maps: gradCam(model, input, auIndices, {
        stage: stage ?? defaultCamStage(model.layout),
        onset,
      }),
    }
  } finally {
    tf.dispose([input, ...(onset ? [onset] : [])])
  }
}
