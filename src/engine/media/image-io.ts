import fs from 'node:fs/promises'
import jpeg from 'jpeg-js'
import pngjs, { type PNG } from 'pngjs'
import { AppError } from '../../shared/errors'
import { imageFormat } from './image-header'

/** An 8-bit RGB image: `data` holds width × height × 3 bytes, rows top to bottom. */
export interface RgbImage {
  width: number
  height: number
  data: Uint8Array
}

/**
 * Decodes a PNG or JPEG file (or its bytes) to 8-bit RGB: grey images are expanded to three
 * equal channels, 16-bit PNGs scaled to 8 bits, and alpha is dropped. `name` labels a buffer
 * in error messages. A missing file is a 'not_found' AppError; anything unreadable an
 * 'invalid_file' AppError naming the file.
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
    return format === 'png' ? decodePng(bytes) : decodeJpeg(bytes)
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

function decodePng(bytes: Uint8Array): RgbImage {
  const png = pngjs.PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))
  // pngjs hands every colour type back as 8-bit RGBA.
  const { width, height } = png
  const rgba = png.data
  const data = new Uint8Array(width * height * 3)
  for (let i = 0, o = 0; o < data.length; i += 4, o += 3) {
    data[o] = rgba[i]
    data[o + 1] = rgba[i + 1]
    data[o + 2] = rgba[i + 2]
  }
  return { width, height, data }
}

function decodeJpeg(bytes: Uint8Array): RgbImage {
  // Three channels out for grey, RGB, YCbCr and Adobe CMYK/YCCK alike.
  const image = jpeg.decode(bytes, {
    useTArray: true,
    formatAsRGBA: false,
    tolerantDecoding: false,
  })
  return { width: image.width, height: image.height, data: image.data }
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
