import { tf } from '../tf'
import type { Backbone } from './backbone'
import type { AuModel } from './au-model'

/** A class activation map of one AU, at the resolution of the stage it was taken from. */
export interface GradCamMap {
  au: string
  auIndex: number
  width: number
  height: number
  /** Row-major height × width values in [0, 1] (all 0 when no location has positive evidence). */
  values: Float32Array
  /** Largest value before normalisation (0 means the map carries no evidence). */
  peak: number
}

/** The side of the map the paper explains (7×7, SE-ResNet-50's last stage at 224²). */
export const CAM_MIN_SIDE = 7

/**
 * The stage the app explains by default: the deepest one whose map is at least 7×7, so a
 * small input keeps a map with places in it (the paper preset's last stage, 7×7; the laptop
 * preset's second, 12×12 at 96²; the tiny preset's first, 7×7 at 32², where the last stage is
 * a single position). The first stage when none is that large.
 */
export function defaultCamStage(layout: Pick<Backbone, 'stageOutputSizes'>): number {
  const sizes = layout.stageOutputSizes
  for (let s = sizes.length - 1; s >= 0; s--) if (sizes[s] >= CAM_MIN_SIDE) return s
  return 0
}

/** Options of {@link gradCam}. */
export interface GradCamOptions {
  /** 0-based stage whose output is explained; the last stage when left out. */
  stage?: number
  /**
   * The clip's pre-processed onset frame [1, H, W, 3], for a model that compares with the
   * onset (AuModel.comparesWithOnset; required then): the logit is the apex's against it,
   * and the map explains the apex's activations.
   */
  onset?: tf.Tensor4D
}

/**
 * Grad-CAM (Selvaraju et al., 2017) of each AU in `auIndices` for one pre-processed image
 * [H, W, 3] or [1, H, W, 3], in inference mode. With A the output of the chosen stage
 * (7×7×2048 for the paper preset's last stage) and y the AU's logit (before the sigmoid):
 * w_c = mean over positions of ∂y/∂A_c, map = ReLU(Σ_c w_c·A_c), divided by its maximum.
 * For a model that compares with the onset, y is the apex's logit against the onset and A
 * the apex's activations. When the feature pools stages before the explained one, their part
 * enters y as a constant (AuModel.featuresBefore). Upsampling to the frame is left to the caller.
 */
export function gradCam(
  model: AuModel,
  image: tf.Tensor3D | tf.Tensor4D,
  auIndices: readonly number[],
  options: GradCamOptions = {},
): GradCamMap[] {
  const stage = options.stage ?? model.stageCount - 1
  for (const k of auIndices) {
    if (!Number.isInteger(k) || k < 0 || k >= model.auList.length) {
      throw new RangeError(`AU index ${k} outside 0..${model.auList.length - 1}`)
    }
  }
  const batch = image.rank === 3 ? image.expandDims(0) : image
  if (batch.shape[0] !== 1) {
    if (batch !== image) batch.dispose()
    throw new RangeError(`Grad-CAM takes one image, got a batch of ${batch.shape[0]}`)
  }
  const images = withOnset(model, batch as tf.Tensor4D, options.onset)
  const inference = { training: false, onsetRows: 1 }
  // Row 0 is the apex; row 1, when there is one, the onset its logit is compared with.
  const all = model.stageOutput(images, inference, stage)
  const earlier = model.featuresBefore(images, inference, stage)
  if (images !== batch) images.dispose()
  if (batch !== image) batch.dispose()
  const activations = all.slice([0, 0, 0, 0], [1, -1, -1, -1])
  const [, height, width, channels] = activations.shape
  try {
    return auIndices.map((auIndex) =>
      tf.tidy(() => {
        const logitOf = (a: tf.Tensor) =>
          model
            .logitsFromStage(a as tf.Tensor4D, stage, inference, earlier)
            .slice([0, auIndex], [1, 1])
            .sum()
        const gradients = tf.grad(logitOf)(all).slice([0, 0, 0, 0], [1, -1, -1, -1])
        const weights = gradients.mean([1, 2]).reshape([1, 1, 1, channels])
        const map = tf.relu(tf.mul(activations, weights).sum(3))
        const peak = map.max().dataSync()[0]
        const values = Float32Array.from(map.dataSync(), (v) => (peak > 0 ? v / peak : 0))
        return { au: model.auList[auIndex], auIndex, width, height, values, peak }
      }),
    )
  } finally {
    tf.dispose([all, activations, ...(earlier ? [earlier] : [])])
  }
}

/** The image and, for a model that compares with the onset, the onset after it. */
function withOnset(
  model: AuModel,
  image: tf.Tensor4D,
  onset: tf.Tensor4D | undefined,
): tf.Tensor4D {
  if (!model.comparesWithOnset) return image
  if (!onset || onset.shape[0] !== 1) {
    throw new RangeError('this model compares with the onset: Grad-CAM needs the onset frame')
  }
  return tf.concat([image, onset])
}
