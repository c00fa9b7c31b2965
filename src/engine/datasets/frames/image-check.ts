import zlib from 'node:zlib'
import { sniffImageFormat } from './image-header'

/*
 * Whole-file structure checks of frame images, so an import never registers a frame that a
 * decoder will later refuse: a truncated or damaged JPEG, PNG or BMP is found by reading its
 * bytes once, without decoding pixels (about a tenth of the cost of a decode).
 */

/**
 * What is wrong with an image file's bytes, in words for an import flag, or null when its
 * structure is whole: a JPEG has its segments, a frame header, entropy-coded data and the
 * end-of-image marker; a PNG has IHDR first, every chunk complete with a matching CRC, and
 * IEND; a BMP holds every pixel row its header announces.
 */
export function imageProblem(bytes: Uint8Array): string | null {
  if (bytes.length === 0) return 'the file is empty'
  switch (sniffImageFormat(bytes)) {
    case 'jpeg':
      return jpegProblem(bytes)
    case 'png':
      return pngProblem(bytes)
    case 'bmp':
      return bmpProblem(bytes)
    default:
      return 'it is not a JPEG, PNG or BMP image'
  }
}

const TRUNCATED_JPEG = 'it is truncated: it ends before the JPEG end-of-image marker'

/** Walks a JPEG's markers from SOI to EOI (see ITU-T T.81, B.1). */
function jpegProblem(bytes: Uint8Array): string | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  let pos = 2
  let sawFrame = false
  let sawScan = false
  for (;;) {
    // Stray bytes between segments are skipped, as libjpeg does (with a warning).
    pos = bytes.indexOf(0xff, pos)
    if (pos < 0) return TRUNCATED_JPEG
    const marker = bytes[pos + 1]
    if (marker === undefined) return TRUNCATED_JPEG
    if (marker === 0xff) {
      pos++ // fill byte
      continue
    }
    if (marker === 0xd9) return sawScan ? null : 'it ends before any image data'
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      pos += 2
      continue
    }
    if (pos + 4 > bytes.length) return TRUNCATED_JPEG
    const end = pos + 2 + view.getUint16(pos + 2)
    if (end > bytes.length) return TRUNCATED_JPEG
    if (isFrameHeader(marker)) {
      if (end - pos < 10 || view.getUint16(pos + 5) === 0 || view.getUint16(pos + 7) === 0) {
        return 'its JPEG frame header is damaged'
      }
      sawFrame = true
    }
    if (marker !== 0xda) {
      pos = end
      continue
    }
    if (!sawFrame) return 'its image data comes before the JPEG frame header'
    sawScan = true
    pos = endOfEntropyData(bytes, end)
  }
}

function isFrameHeader(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc
}

/**
 * The offset of the first marker after entropy-coded data starting at `from` (stuffed 0xFF00
 * bytes, restart markers and fill bytes belong to the data), or the length when none comes.
 */
function endOfEntropyData(bytes: Uint8Array, from: number): number {
  let pos = from
  for (;;) {
    pos = bytes.indexOf(0xff, pos)
    if (pos < 0 || pos + 1 >= bytes.length) return bytes.length
    const next = bytes[pos + 1]
    if (next === 0x00 || (next >= 0xd0 && next <= 0xd7)) pos += 2
    else if (next === 0xff) pos++
    else return pos
  }
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]

/** Walks a PNG's chunks from the signature to IEND, checking each CRC (PNG spec, 5.3). */
function pngProblem(bytes: Uint8Array): string | null {
  if (PNG_SIGNATURE.some((b, i) => bytes[i] !== b)) return 'its PNG signature is damaged'
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  let pos = 8
  while (pos + 12 <= bytes.length) {
    const length = view.getUint32(pos)
    const type = String.fromCharCode(...bytes.subarray(pos + 4, pos + 8))
    if (pos === 8 && type !== 'IHDR') return 'its first PNG chunk is not IHDR'
    const end = pos + 12 + length
    if (end > bytes.length) break
    if (zlib.crc32(bytes.subarray(pos + 4, end - 4)) !== view.getUint32(end - 4)) {
      return `its PNG chunk ${type} at byte ${pos} is damaged (CRC mismatch)`
    }
    if (type === 'IEND') return null
    pos = end
  }
  return 'it is truncated: it ends before the PNG IEND chunk'
}

/** Checks that a BMP holds the pixel rows its header announces (uncompressed BMPs). */
function bmpProblem(bytes: Uint8Array): string | null {
  if (bytes.length < 54) return 'it is truncated: its BMP header is incomplete'
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const pixelOffset = view.getUint32(10, true)
  const width = Math.abs(view.getInt32(18, true))
  const height = Math.abs(view.getInt32(22, true))
  const bitsPerPixel = view.getUint16(28, true)
  const compression = view.getUint32(30, true)
  if (width === 0 || height === 0) return 'its BMP header is damaged'
  // BI_RGB (0) and BI_BITFIELDS (3) store plain rows, each padded to 4 bytes.
  const rowBytes = Math.ceil((width * bitsPerPixel) / 32) * 4
  const needed = compression === 0 || compression === 3 ? pixelOffset + rowBytes * height : 0
  return bytes.length < Math.max(needed, pixelOffset)
    ? 'it is truncated: it holds fewer pixel rows than its BMP header says'
    : null
}
