import type { RgbImage } from '../../media/image-io'
import { resizeRgb } from '../data/image-ops'
import type { GradCamMap } from '../model/grad-cam'

/** Jet colour map of t in [0, 1] (blue → cyan → yellow → red), as 0–255 RGB. */
export function jet(t: number): [number, number, number] {
  const c = (x: number) => Math.round(255 * Math.min(1, Math.max(0, x)))
  return [c(1.5 - Math.abs(4 * t - 3)), c(1.5 - Math.abs(4 * t - 2)), c(1.5 - Math.abs(4 * t - 1))]
}

/**
 * Draws a Grad-CAM map over a frame: the map upsampled (bilinear) to `size`, coloured with
 * the jet map and blended over the frame resized to `size`, with weight `opacity` where the
 * map is strongest (the overlay fades out where it is 0).
 */
export function gradCamOverlay(
  frame: RgbImage,
  map: GradCamMap,
  size: number,
  opacity = 0.6,
): RgbImage {
  const background = resizeRgb(frame, size, size)
  const heat = Uint8Array.from(map.values, (v) => Math.round(v * 255))
  const grey: RgbImage = {
    width: map.width,
    height: map.height,
    data: new Uint8Array(map.width * map.height * 3),
  }
  for (let i = 0; i < heat.length; i++) grey.data.fill(heat[i], i * 3, i * 3 + 3)
  const upsampled = resizeRgb(grey, size, size)
  const out = new Uint8Array(size * size * 3)
  for (let p = 0; p < size * size; p++) {
    const t = upsampled[p * 3] / 255
    const [r, g, b] = jet(t)
    const w = opacity * Math.sqrt(t)
    out[p * 3] = Math.round(background[p * 3] * (1 - w) + r * w)
    out[p * 3 + 1] = Math.round(background[p * 3 + 1] * (1 - w) + g * w)
    out[p * 3 + 2] = Math.round(background[p * 3 + 2] * (1 - w) + b * w)
  }
  return { width: size, height: size, data: out }
}
