import type { RgbImage } from '../../media/image-io'
import { resizeRgb } from '../data/image-ops'
import type { GradCamMap } from '../model/grad-cam'

/** Viridis at t = 0, ¼, ½, ¾, 1 (#440154, #3b528b, #21918c, #5ec962, #fde725). */
const VIRIDIS_STOPS: readonly (readonly [number, number, number])[] = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37],
]

/**
 * The viridis colour map of t in [0, 1] (dark violet → blue → green → yellow), as 0–255 RGB,
 * linear between five of its stops. Unlike jet its lightness rises steadily, so people with
 * any common colour-vision deficiency (and greyscale prints) read the same order.
 */
export function viridis(t: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, t)) * (VIRIDIS_STOPS.length - 1)
  const i = Math.min(VIRIDIS_STOPS.length - 2, Math.floor(x))
  const f = x - i
  const [a, b] = [VIRIDIS_STOPS[i], VIRIDIS_STOPS[i + 1]]
  return [0, 1, 2].map((k) => Math.round(a[k] + (b[k] - a[k]) * f)) as [number, number, number]
}

/**
 * Draws a Grad-CAM map over a frame: the map upsampled (bilinear) to `size`, coloured with
 * the viridis map and blended over the frame resized to `size`, with weight `opacity` where the
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
    const [r, g, b] = viridis(t)
    const w = opacity * Math.sqrt(t)
    out[p * 3] = Math.round(background[p * 3] * (1 - w) + r * w)
    out[p * 3 + 1] = Math.round(background[p * 3 + 1] * (1 - w) + g * w)
    out[p * 3 + 2] = Math.round(background[p * 3 + 2] * (1 - w) + b * w)
  }
  return { width: size, height: size, data: out }
}
