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

/**
 * {@link preprocessPixels} on a flat array of 0–255 RGB pixels (…, R, G, B, …), in place
 * and in plain JavaScript: one pass instead of three tensor kernels (the wasm backend's
 * channel reverse alone cost tens of ms per training batch). Each value is rounded to
 * float32 after the subtraction and after the division, as the tensor kernels do.
 */
export function preprocessInPlace(pixels: Float32Array, spec: PixelPreprocessing): Float32Array {
  if (pixels.length % 3 !== 0) throw new RangeError(`${pixels.length} values are not RGB pixels`)
  const bgr = spec.channelOrder === 'bgr'
  const [m0, m1, m2] = spec.mean.map(Math.fround)
  const divisor = spec.divisor === undefined ? null : Math.fround(spec.divisor)
  const finish = (v: number) => (divisor === null ? v : Math.fround(v / divisor))
  for (let i = 0; i < pixels.length; i += 3) {
    const r = pixels[i]
    const b = pixels[i + 2]
    pixels[i] = finish(Math.fround((bgr ? b : r) - m0))
    pixels[i + 1] = finish(Math.fround(pixels[i + 1] - m1))
    pixels[i + 2] = finish(Math.fround((bgr ? r : b) - m2))
  }
  return pixels
}
