import { tf } from '../tf'
import type { PixelPreprocessing } from './config'

/**
 * Turns 0–255 RGB images [N, H, W, 3] into network input: channels reversed when the model
 * expects BGR, then the per-channel mean (in the model's channel order) subtracted. For
 * VGGFace that is x_B − 91.4953, x_G − 103.8827, x_R − 131.0912.
 */
export function preprocessPixels(rgb: tf.Tensor4D, spec: PixelPreprocessing): tf.Tensor4D {
  if (rgb.shape[3] !== 3) {
    throw new RangeError(`expected 3 colour channels, got shape [${rgb.shape.join(', ')}]`)
  }
  return tf.tidy(() => {
    const pixels = rgb.toFloat()
    const ordered = spec.channelOrder === 'bgr' ? tf.reverse(pixels, 3) : pixels
    return ordered.sub(tf.tensor1d(spec.mean))
  })
}
