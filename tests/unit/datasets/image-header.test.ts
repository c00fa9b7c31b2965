import { PNG } from 'pngjs'
import { describe, expect, it } from 'vitest'
import { parseImageSize, sniffImageFormat } from '../../../src/engine/datasets/frames/image-header'
import { encodeJpegRgb } from '../../../src/engine/datasets/synthetic/jpeg-encoder'

function jpeg(width: number, height: number): Buffer {
  return encodeJpegRgb({ data: new Uint8Array(width * height * 3).fill(90), width, height })
}

/** A JPEG with an APP1 segment of `size` bytes before its frame header (EXIF-like). */
function jpegWithApp1(size: number): Buffer {
  const plain = jpeg(40, 30)
  const segment = Buffer.alloc(size + 4)
  segment.writeUInt16BE(0xffe1, 0)
  segment.writeUInt16BE(size + 2, 2)
  return Buffer.concat([plain.subarray(0, 2), segment, plain.subarray(2)])
}

describe('parseImageSize', () => {
  it('reads the JPEG frame header', () => {
    expect(parseImageSize(jpeg(640, 480))).toEqual({ format: 'jpeg', width: 640, height: 480 })
    expect(parseImageSize(jpeg(37, 23))).toEqual({ format: 'jpeg', width: 37, height: 23 })
  })

  it('walks past APP segments and asks for more bytes when the header lies beyond them', () => {
    const file = jpegWithApp1(60_000)
    expect(parseImageSize(file)).toEqual({ format: 'jpeg', width: 40, height: 30 })
    expect(parseImageSize(file.subarray(0, 1000))).toBe('need_more')
  })

  it('reads the PNG IHDR chunk', () => {
    const png = PNG.sync.write(Object.assign(new PNG({ width: 960, height: 650 }), {}))
    expect(parseImageSize(png)).toEqual({ format: 'png', width: 960, height: 650 })
  })

  it('reads the BMP info header (bottom-up and top-down)', () => {
    const bmp = Buffer.alloc(54)
    bmp.write('BM', 0, 'latin1')
    bmp.writeInt32LE(320, 18)
    bmp.writeInt32LE(-240, 22)
    expect(parseImageSize(bmp)).toEqual({ format: 'bmp', width: 320, height: 240 })
  })

  it('returns null for empty, foreign or broken files', () => {
    expect(parseImageSize(new Uint8Array(0))).toBeNull()
    expect(parseImageSize(Buffer.from('Thumbs.db cache'))).toBeNull()
    expect(parseImageSize(Buffer.from([0xff, 0xd8, 0xff, 0xd9, 0, 0, 0, 0]))).toBeNull()
    expect(parseImageSize(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16]))).toBe('need_more')
    expect(sniffImageFormat(Buffer.from([0x89, 0x50]))).toBeNull()
  })
})
