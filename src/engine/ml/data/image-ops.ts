import type { RgbImage } from '../../media/image-io'

/**
 * Bilinear resize of 8-bit RGB to width × height (pixel centres at k + 0.5, edges clamped,
 * as tf.image.resizeBilinear with halfPixelCenters). Returns the new pixels.
 */
export function resizeRgb(image: RgbImage, width: number, height: number): Uint8Array {
  const out = new Uint8Array(width * height * 3)
  const { data } = image
  const sx = image.width / width
  const sy = image.height / height
  const maxX = image.width - 1
  const maxY = image.height - 1
  const stride = image.width * 3
  const x0s = new Int32Array(width)
  const x1s = new Int32Array(width)
  const txs = new Float32Array(width)
  for (let i = 0; i < width; i++) {
    const x = Math.min(Math.max((i + 0.5) * sx - 0.5, 0), maxX)
    x0s[i] = Math.floor(x)
    x1s[i] = Math.min(x0s[i] + 1, maxX)
    txs[i] = x - x0s[i]
  }
  let o = 0
  for (let j = 0; j < height; j++) {
    const y = Math.min(Math.max((j + 0.5) * sy - 0.5, 0), maxY)
    const y0 = Math.floor(y)
    const y1 = Math.min(y0 + 1, maxY)
    const ty = y - y0
    const r0 = y0 * stride
    const r1 = y1 * stride
    for (let i = 0; i < width; i++) {
      const a = x0s[i] * 3
      const b = x1s[i] * 3
      const tx = txs[i]
      for (let c = 0; c < 3; c++) {
        const top = data[r0 + a + c] + (data[r0 + b + c] - data[r0 + a + c]) * tx
        const bottom = data[r1 + a + c] + (data[r1 + b + c] - data[r1 + a + c]) * tx
        out[o++] = Math.round(top + (bottom - top) * ty)
      }
    }
  }
  return out
}

/**
 * Copies the crop×crop window at (x, y) of a side×side RGB image into `out` (floats, 0–255)
 * starting at `offset`.
 */
export function cropInto(
  pixels: Uint8Array,
  side: number,
  crop: number,
  x: number,
  y: number,
  out: Float32Array,
  offset: number,
): void {
  if (x < 0 || y < 0 || x + crop > side || y + crop > side) {
    throw new RangeError(`crop ${crop} at (${x}, ${y}) leaves the ${side}×${side} image`)
  }
  let o = offset
  for (let j = 0; j < crop; j++) {
    const row = ((y + j) * side + x) * 3
    for (let k = 0; k < crop * 3; k++) out[o++] = pixels[row + k]
  }
}

/** Top-left corner of the centre crop. */
export function centreCropOffset(side: number, crop: number): number {
  return Math.floor((side - crop) / 2)
}
