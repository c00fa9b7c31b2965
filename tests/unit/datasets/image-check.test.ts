import { PNG } from 'pngjs'
import { describe, expect, it } from 'vitest'
import { imageProblem } from '../../../src/engine/datasets/frames/image-check'
import { encodeJpegRgb } from '../../../src/engine/datasets/synthetic/jpeg-encoder'

function jpeg(width = 64, height = 48): Buffer {
  const data = new Uint8Array(width * height * 3)
  for (let i = 0; i < data.length; i++) data[i] = (i * 37) & 255
  return encodeJpegRgb({ data, width, height })
}

function png(width = 8, height = 6): Buffer {
  const image = new PNG({ width, height })
  image.data.fill(120)
  return PNG.sync.write(image)
}

/** An uncompressed 24-bit BMP: 54-byte header, rows padded to 4 bytes. */
function bmp(width: number, height: number): Buffer {
  const rowBytes = Math.ceil((width * 24) / 32) * 4
  const file = Buffer.alloc(54 + rowBytes * height)
  file.write('BM', 0, 'latin1')
  file.writeUInt32LE(file.length, 2)
  file.writeUInt32LE(54, 10)
  file.writeUInt32LE(40, 14)
  file.writeInt32LE(width, 18)
  file.writeInt32LE(height, 22)
  file.writeUInt16LE(1, 26)
  file.writeUInt16LE(24, 28)
  return file
}

describe('imageProblem', () => {
  it('passes whole JPEG, PNG and BMP files', () => {
    expect(imageProblem(jpeg())).toBeNull()
    expect(imageProblem(jpeg(1, 1))).toBeNull()
    expect(imageProblem(png())).toBeNull()
    expect(imageProblem(bmp(5, 3))).toBeNull()
  })

  it('finds a JPEG cut anywhere: in its headers, in its image data, just before EOI', () => {
    const whole = jpeg()
    for (const length of [3, 40, 200, whole.length >> 1, whole.length - 2, whole.length - 1]) {
      expect(imageProblem(whole.subarray(0, length)), `cut at ${length}`).toMatch(/truncated/)
    }
  })

  it('accepts bytes after EOI and stray bytes between segments, as decoders do', () => {
    const whole = jpeg()
    expect(imageProblem(Buffer.concat([whole, Buffer.from('trailing camera data')]))).toBeNull()
    const firstSegmentEnd = 4 + whole.readUInt16BE(4)
    const stray = Buffer.concat([
      whole.subarray(0, firstSegmentEnd),
      Buffer.from([0, 0]),
      whole.subarray(firstSegmentEnd),
    ])
    expect(imageProblem(stray)).toBeNull()
  })

  it('refuses a JPEG whose image data comes before its frame header, or that has none', () => {
    const soiEoi = Buffer.from([0xff, 0xd8, 0xff, 0xd9])
    expect(imageProblem(soiEoi)).toBe('it ends before any image data')
    // SOS (length 8, one component) with nothing before it.
    const scanFirst = Buffer.from([0xff, 0xd8, 0xff, 0xda, 0, 8, 1, 1, 0, 0, 63, 0, 0xff, 0xd9])
    expect(imageProblem(scanFirst)).toBe('its image data comes before the JPEG frame header')
  })

  it('finds a truncated PNG and a damaged PNG chunk', () => {
    const whole = png()
    expect(imageProblem(whole.subarray(0, whole.length - 12))).toMatch(/truncated.*IEND/)
    expect(imageProblem(whole.subarray(0, 40))).toMatch(/truncated/)
    const damaged = Buffer.from(whole)
    damaged[40] ^= 0xff
    expect(imageProblem(damaged)).toMatch(/CRC mismatch/)
  })

  it('finds a BMP with fewer pixel rows than announced', () => {
    const whole = bmp(5, 3)
    expect(imageProblem(whole.subarray(0, whole.length - 1))).toMatch(/fewer pixel rows/)
    expect(imageProblem(whole.subarray(0, 30))).toMatch(/header is incomplete/)
  })

  it('names an empty or foreign file', () => {
    expect(imageProblem(new Uint8Array(0))).toBe('the file is empty')
    expect(imageProblem(Buffer.from('GIF89a'))).toBe('it is not a JPEG, PNG or BMP image')
  })
})
