import fs from 'node:fs'
import { AppError } from '../../../shared/errors'

/** The image formats whose headers we read. */
export type ImageFormat = 'jpeg' | 'png' | 'bmp'

/** Size of an image as its header states it. */
export interface ImageSize {
  format: ImageFormat
  width: number
  height: number
}

/** The format a file's first bytes announce, or null when it is none of ours. */
export function sniffImageFormat(bytes: Uint8Array): ImageFormat | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff)
    return 'jpeg'
  if (
    bytes.length >= 8 &&
    bytes[0] === 0x89 &&
    bytes[1] === 0x50 &&
    bytes[2] === 0x4e &&
    bytes[3] === 0x47
  ) {
    return 'png'
  }
  if (bytes.length >= 2 && bytes[0] === 0x42 && bytes[1] === 0x4d) return 'bmp'
  return null
}

/** Reads the first bytes of a file (fewer when the file is shorter). */
export function readHead(file: string, length: number): Buffer {
  const fd = fs.openSync(file, 'r')
  try {
    const buffer = Buffer.alloc(length)
    const read = fs.readSync(fd, buffer, 0, length, 0)
    return buffer.subarray(0, read)
  } finally {
    fs.closeSync(fd)
  }
}

/**
 * Width and height from an image header without decoding pixels: the JPEG SOF segment, the
 * PNG IHDR chunk or the BMP info header. An empty, truncated or foreign file is an
 * `invalid_file` error naming it.
 */
export function readImageSize(file: string): ImageSize {
  let head = readHead(file, 64 * 1024)
  let size = parseImageSize(head)
  if (size === 'need_more') {
    head = fs.readFileSync(file)
    size = parseImageSize(head)
  }
  if (size === null || size === 'need_more') {
    throw new AppError('invalid_file', `${file} is not a readable JPEG, PNG or BMP image`, { file })
  }
  return size
}

/**
 * Parses an image header from the start of a file: the size, null for a foreign or broken
 * file, or 'need_more' when a JPEG's frame header lies beyond the bytes given.
 */
export function parseImageSize(bytes: Uint8Array): ImageSize | null | 'need_more' {
  const format = sniffImageFormat(bytes)
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const valid = (width: number, height: number): ImageSize | null =>
    format && width > 0 && height > 0 ? { format, width, height } : null
  if (format === 'png') {
    if (bytes.length < 24) return null
    return valid(view.getUint32(16), view.getUint32(20))
  }
  if (format === 'bmp') {
    if (bytes.length < 26) return null
    return valid(Math.abs(view.getInt32(18, true)), Math.abs(view.getInt32(22, true)))
  }
  if (format !== 'jpeg') return null
  let pos = 2
  while (pos + 4 <= bytes.length) {
    if (bytes[pos] !== 0xff) return null
    const marker = bytes[pos + 1]
    if (marker === 0xff) {
      pos++ // fill byte
      continue
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      pos += 2
      continue
    }
    if (marker === 0xd9 || marker === 0xda) return null // end of image or scan before a frame header
    const length = view.getUint16(pos + 2)
    const isFrame =
      marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc
    if (isFrame) {
      if (pos + 9 > bytes.length) return 'need_more'
      return valid(view.getUint16(pos + 7), view.getUint16(pos + 5))
    }
    pos += 2 + length
  }
  return 'need_more'
}
