import { tf } from '../tf'
import type { PixelPreprocessing } from './config'

/**
 * Turns 0–255 RGB images [N, H, W, 3] into network input: channels reversed when the model
 * expects BGR, then the per-channel mean (in the model's channel order) subtracted, then
 * divided by the divisor when there is one. For VGGFace that is x_B − 91.4953,
 * x_G − 103.8827, x_R − 131.0912; for face-api's face net (x_R − 122.782) / 255, ….
 */
export function preprocessPixels(rgb: tf.Tensor4D, spec: PixelPreprocessing): tf.Tensor4D {
  if (rgb.shape[3] !== 3) {
    throw new RangeError(`expected 3 colour channels, got shape [${rgb.shape.join(', ')}]`)
  }
  return tf.tidy(() => {
    const pixels = rgb.toFloat()
    const ordered = spec.channelOrder === 'bgr' ? tf.reverse(pixels, 3) : pixels
    const centred: tf.Tensor4D = ordered.sub(tf.tensor1d(spec.mean))
    return spec.divisor === undefined ? centred : centred.div(spec.divisor)
  })
}
