/** Formats frame images come in. */
export type FrameImageFormat = 'png' | 'jpeg' | 'bmp'

/** Format and stored size of an image, read from its header without decoding it. */
export interface ImageHeader {
  format: FrameImageFormat
  width: number
  height: number
}

/** The format from the first bytes, or null when they are not PNG, JPEG or BMP. */
export function imageFormat(bytes: Uint8Array): FrameImageFormat | null {
  if (
    bytes.length >= 8 &&
    bytes[0] === 0x89 &&
    bytes[1] === 0x50 &&
    bytes[2] === 0x4e &&
    bytes[3] === 0x47
  ) {
    return 'png'
  }
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff)
    return 'jpeg'
  if (bytes.length >= 2 && bytes[0] === 0x42 && bytes[1] === 0x4d) return 'bmp'
  return null
}

/**
 * Format and size from the start of an image file: PNG's IHDR, BMP's info header, JPEG's
 * frame header (SOFn, found by walking the marker segments). Returns 'unknown' for other
 * formats and 'incomplete' when the bytes end before the size (read more of the file, or
 * the file is truncated).
 */
export function parseImageHeader(bytes: Uint8Array): ImageHeader | 'unknown' | 'incomplete' {
  const format = imageFormat(bytes)
  if (format === null) return 'unknown'
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (format === 'png') {
    if (bytes.length < 24) return 'incomplete'
    return { format, width: view.getUint32(16), height: view.getUint32(20) }
  }
  if (format === 'bmp') {
    if (bytes.length < 26) return 'incomplete'
    // Negative heights mark top-down bitmaps.
    return {
      format,
      width: Math.abs(view.getInt32(18, true)),
      height: Math.abs(view.getInt32(22, true)),
    }
  }
  let at = 2
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) return 'unknown'
    const marker = bytes[at + 1]
    if (marker === 0xff) {
      at += 1
      continue
    }
    // Standalone markers carry no length.
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd9)) {
      at += 2
      continue
    }
    const isFrame =
      marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc
    if (isFrame) {
      if (at + 9 > bytes.length) return 'incomplete'
      return { format, width: view.getUint16(at + 7), height: view.getUint16(at + 5) }
    }
    if (marker === 0xda) return 'unknown'
    at += 2 + view.getUint16(at + 2)
  }
  return 'incomplete'
}
