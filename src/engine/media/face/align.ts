import { AppError } from '../../../shared/errors'
import type { RgbImage } from '../image-io'

/** A point in source pixels (x right, y down; a pixel's centre is at +0.5). */
export interface Point {
  x: number
  y: number
}

/**
 * A face crop in source pixels, as stored in clips.crop: the rectangle (x, y, width,
 * height) turned clockwise by `angle` degrees about its centre. A crop point (u, v), with
 * (0, 0) the crop's top-left corner, lies in the source at
 * centre + R(angle)·(u − width/2, v − height/2), R the rotation matrix [[c, −s], [s, c]].
 */
export interface CropBox {
  x: number
  y: number
  width: number
  height: number
  angle: number
}

/** How the crop sits around the eyes. */
export interface CropOptions {
  /** Side of the square crop divided by the inter-ocular distance. Default 2.8. */
  scale?: number
  /** Height of the eye line below the crop's top, as a fraction of its side. Default 0.33. */
  eyeLevel?: number
}

/**
 * The square crop aligned to the eyes (`leftEye` is the one on the image's left, the
 * subject's right eye): turned so the eye line is horizontal, its side `scale` times the
 * inter-ocular distance, the eyes centred horizontally at `eyeLevel` from the top. The
 * defaults keep the brows (AU 1, 2, 4) and the chin (AU 17) inside.
 */
export function cropBoxFromEyes(
  leftEye: Point,
  rightEye: Point,
  options: CropOptions = {},
): CropBox {
  const scale = options.scale ?? 2.8
  const eyeLevel = options.eyeLevel ?? 0.33
  const dx = rightEye.x - leftEye.x
  const dy = rightEye.y - leftEye.y
  const distance = Math.hypot(dx, dy)
  if (!(distance > 0) || !(scale > 0)) {
    throw new AppError('invalid_input', 'The eyes must be two distinct points and scale positive', {
      leftEye,
      rightEye,
      scale,
    })
  }
  const side = scale * distance
  const cos = dx / distance
  const sin = dy / distance
  // From the eyes' midpoint, go down the face (perpendicular to the eye line) to the centre.
  const down = (0.5 - eyeLevel) * side
  const centreX = (leftEye.x + rightEye.x) / 2 - sin * down
  const centreY = (leftEye.y + rightEye.y) / 2 + cos * down
  return {
    x: centreX - side / 2,
    y: centreY - side / 2,
    width: side,
    height: side,
    angle: (Math.atan2(dy, dx) * 180) / Math.PI,
  }
}

/** Where a source point lands in the crop, in crop pixels before any resizing. */
export function sourceToCrop(box: CropBox, point: Point): Point {
  const radians = (box.angle * Math.PI) / 180
  const cos = Math.cos(radians)
  const sin = Math.sin(radians)
  const px = point.x - (box.x + box.width / 2)
  const py = point.y - (box.y + box.height / 2)
  return { x: cos * px + sin * py + box.width / 2, y: -sin * px + cos * py + box.height / 2 }
}

/**
 * Cuts `box` out of an image: rotated, cropped and resized to `size` in one bilinear pass.
 * Source samples outside the image are black.
 */
export function applyCrop(
  image: RgbImage,
  box: CropBox,
  size: { width: number; height: number },
): RgbImage {
  const { width: outWidth, height: outHeight } = size
  if (![outWidth, outHeight].every((side) => Number.isInteger(side) && side > 0)) {
    throw new AppError(
      'invalid_input',
      `applyCrop: output size ${outWidth}×${outHeight} is not valid`,
      size,
    )
  }
  if (!(box.width > 0 && box.height > 0)) {
    throw new AppError('invalid_input', `applyCrop: crop ${box.width}×${box.height} is empty`, box)
  }
  const { width, height, data } = image
  const out = new Uint8Array(outWidth * outHeight * 3)
  const radians = (box.angle * Math.PI) / 180
  const cos = Math.cos(radians)
  const sin = Math.sin(radians)
  const stepU = box.width / outWidth
  const stepV = box.height / outHeight
  const centreX = box.x + box.width / 2
  const centreY = box.y + box.height / 2
  const stride = width * 3
  let o = 0
  for (let j = 0; j < outHeight; j++) {
    const v = (j + 0.5) * stepV - box.height / 2
    // Source position (sample grid: pixel k's centre at k + 0.5) of the row's first pixel.
    let sx = centreX + cos * (0.5 * stepU - box.width / 2) - sin * v - 0.5
    let sy = centreY + sin * (0.5 * stepU - box.width / 2) + cos * v - 0.5
    for (let i = 0; i < outWidth; i++, sx += cos * stepU, sy += sin * stepU, o += 3) {
      const x0 = Math.floor(sx)
      const y0 = Math.floor(sy)
      const tx = sx - x0
      const ty = sy - y0
      const w00 = (1 - tx) * (1 - ty)
      const w10 = tx * (1 - ty)
      const w01 = (1 - tx) * ty
      const w11 = tx * ty
      const inX0 = x0 >= 0 && x0 < width
      const inX1 = x0 + 1 >= 0 && x0 + 1 < width
      const inY0 = y0 >= 0 && y0 < height
      const inY1 = y0 + 1 >= 0 && y0 + 1 < height
      const p00 = y0 * stride + x0 * 3
      const p01 = p00 + stride
      for (let c = 0; c < 3; c++) {
        let value = 0
        if (inY0 && inX0) value += w00 * data[p00 + c]
        if (inY0 && inX1) value += w10 * data[p00 + 3 + c]
        if (inY1 && inX0) value += w01 * data[p01 + c]
        if (inY1 && inX1) value += w11 * data[p01 + 3 + c]
        out[o + c] = value + 0.5
      }
    }
  }
  return { width: outWidth, height: outHeight, data: out }
}
