import fs from 'node:fs/promises'
import jpeg from 'jpeg-js'
import pngjs, { type PNG } from 'pngjs'
import sharp from 'sharp'
import { AppError } from '../../shared/errors'
import { imageFormat } from './image-header'

/** An 8-bit RGB image: `data` holds width × height × 3 bytes, rows top to bottom. */
export interface RgbImage {
  width: number
  height: number
  data: Uint8Array
}

/**
 * Decodes a PNG or JPEG file (or its bytes) to 8-bit RGB with sharp (libvips: libjpeg-turbo,
 * libspng; several times faster than the pure-JS jpeg-js and pngjs, BENCHMARKS.md "Image
 * decode and encode"):
 * grey images are expanded to three equal channels, 16-bit PNGs scaled to 8 bits (v / 257,
 * rounded), and alpha is dropped (not composited). Pixels are taken as stored: an embedded
 * ICC profile is ignored, as the video decoder ignores it, so a clip reads alike as frames or
 * as video. `name` labels a buffer in error messages. A missing file is a 'not_found'
 * AppError; anything unreadable an 'invalid_file' AppError naming the file.
 */
export async function decodeImage(source: string | Uint8Array, name?: string): Promise<RgbImage> {
  const label = typeof source === 'string' ? source : (name ?? 'image data')
  let bytes: Uint8Array
  if (typeof source === 'string') {
    try {
      bytes = await fs.readFile(source)
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code === 'ENOENT')
        throw new AppError('not_found', `Image ${source} does not exist`, { file: source })
      throw unreadable(label, (error as Error).message)
    }
  } else {
    bytes = source
  }
  const format = imageFormat(bytes)
  if (format !== 'png' && format !== 'jpeg')
    throw unreadable(label, 'it is not a PNG or JPEG image')
  try {
    return await decodeWithSharp(bytes, format === 'png' && bytes[PNG_BIT_DEPTH] === 16)
  } catch (error) {
    throw unreadable(label, error instanceof Error ? error.message : String(error))
  }
}

function unreadable(label: string, reason: string): AppError {
  return new AppError('invalid_file', `Cannot read image ${label}: ${reason}`, {
    file: label,
    reason,
  })
}

/** Offset of the bit depth in a PNG: 8 bytes of signature, then IHDR's length, type, width, height. */
const PNG_BIT_DEPTH = 24

async function decodeWithSharp(bytes: Uint8Array, sixteenBit: boolean): Promise<RgbImage> {
  const { data, info } = await sharp(bytes, { failOn: 'warning', ignoreIcc: true })
    .removeAlpha()
    .toColourspace(sixteenBit ? 'rgb16' : 'srgb')
    .raw({ depth: sixteenBit ? 'ushort' : 'uchar' })
    .toBuffer({ resolveWithObject: true })
  if (info.channels !== 3) throw new Error(`decoded to ${info.channels} channels, not RGB`)
  const { width, height } = info
  if (!sixteenBit)
    return { width, height, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) }
  const aligned = data.byteOffset % 2 === 0 ? data : Buffer.from(data)
  const wide = new Uint16Array(aligned.buffer, aligned.byteOffset, aligned.byteLength / 2)
  return { width, height, data: Uint8Array.from(wide, (v) => Math.round(v / 257)) }
}

function checkImage(image: RgbImage, what: string): void {
  const { width, height, data } = image
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new AppError('invalid_input', `${what}: image size ${width}×${height} is not valid`, {
      width,
      height,
    })
  }
  if (data.length !== width * height * 3) {
    throw new AppError(
      'invalid_input',
      `${what}: ${width}×${height} RGB needs ${width * height * 3} bytes, got ${data.length}`,
      { width, height, length: data.length },
    )
  }
}

/**
 * Encodes an RGB image as an 8-bit RGB PNG (lossless). `compressionLevel` is zlib's 0–9;
 * pngjs pairs it with the RLE strategy, so higher levels cost little.
 */
export function encodePng(image: RgbImage, options: { compressionLevel?: number } = {}): Buffer {
  checkImage(image, 'encodePng')
  const { width, height, data } = image
  // The packer reads only width, height and data, so a full PNG object (which would
  // allocate an RGBA buffer of its own) is not needed.
  const source = { width, height, data: Buffer.from(data.buffer, data.byteOffset, data.byteLength) }
  return pngjs.PNG.sync.write(source as unknown as PNG, {
    colorType: 2,
    inputColorType: 2,
    inputHasAlpha: false,
    deflateLevel: options.compressionLevel ?? 6,
  })
}

/**
 * Encodes an RGB image as an 8-bit RGB PNG (lossless) with sharp (libspng, zlib-ng), off the
 * main thread: what the frame cache stores for imported frame images, where encodePng would
 * cost about 60 ms a 640×480 frame against 3–4 ms (BENCHMARKS.md "Image decode and encode").
 * `compressionLevel` is zlib's 0–9. Its bytes may differ from encodePng's for the same pixels.
 */
export async function encodePngWithSharp(
  image: RgbImage,
  options: { compressionLevel?: number } = {},
): Promise<Buffer> {
  checkImage(image, 'encodePngWithSharp')
  const { width, height, data } = image
  return sharp(data, { raw: { width, height, channels: 3 } })
    .png({ compressionLevel: options.compressionLevel ?? 6, adaptiveFiltering: false })
    .toBuffer()
}

/** Encodes an RGB image as a baseline JPEG; `quality` 1–100. */
export function encodeJpeg(image: RgbImage, quality = 92): Buffer {
  checkImage(image, 'encodeJpeg')
  const { width, height, data } = image
  // jpeg-js reads four bytes per pixel.
  const rgba = Buffer.alloc(width * height * 4, 255)
  for (let i = 0, o = 0; i < data.length; i += 3, o += 4) {
    rgba[o] = data[i]
    rgba[o + 1] = data[i + 1]
    rgba[o + 2] = data[i + 2]
  }
  return jpeg.encode({ width, height, data: rgba }, quality).data
}
