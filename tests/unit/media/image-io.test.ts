import pngjs from 'pngjs'
import { describe, expect, it } from 'vitest'
import { AppError } from '../../../src/shared/errors'
import { parseImageHeader } from '../../../src/engine/media/image-header'
import {
  decodeImage,
  encodeJpeg,
  encodePng,
  encodePngWithSharp,
  type RgbImage,
} from '../../../src/engine/media/image-io'
import { greyJpeg } from './grey-jpeg'

function gradient(width: number, height: number): RgbImage {
  const data = new Uint8Array(width * height * 3)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 3
      data[o] = (x * 255) / (width - 1)
      data[o + 1] = (y * 255) / (height - 1)
      data[o + 2] = ((x + y) * 97) % 256
    }
  }
  return { width, height, data }
}

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.catch((e: unknown) => e)
  expect(error).toBeInstanceOf(AppError)
  return error as AppError
}

describe('image-io', () => {
  it('round-trips RGB through PNG exactly', async () => {
    const image = gradient(37, 21)
    const png = encodePng(image)
    expect(parseImageHeader(png)).toEqual({ format: 'png', width: 37, height: 21 })
    expect(await decodeImage(png)).toEqual({ width: 37, height: 21, data: image.data })
  })

  it('round-trips RGB through a PNG sharp encoded exactly, at any compression level', async () => {
    const image = gradient(37, 21)
    for (const compressionLevel of [0, 1, 9]) {
      const png = await encodePngWithSharp(image, { compressionLevel })
      expect(parseImageHeader(png)).toEqual({ format: 'png', width: 37, height: 21 })
      expect(await decodeImage(png)).toEqual({ width: 37, height: 21, data: image.data })
    }
    await expect(
      encodePngWithSharp({ width: 2, height: 2, data: new Uint8Array(11) }),
    ).rejects.toThrow('2×2 RGB needs 12 bytes, got 11')
  })

  it('round-trips RGB through JPEG closely', async () => {
    const image = gradient(64, 48)
    const decoded = await decodeImage(encodeJpeg(image, 95))
    expect([decoded.width, decoded.height]).toEqual([64, 48])
    let error = 0
    for (let i = 0; i < image.data.length; i++) error += Math.abs(decoded.data[i] - image.data[i])
    expect(error / image.data.length).toBeLessThan(3)
  })

  it('expands a grey PNG to three equal channels', async () => {
    const grey = pngjs.PNG.sync.write(
      { width: 3, height: 1, data: Buffer.from([0, 128, 255]) } as unknown as pngjs.PNG,
      {
        colorType: 0,
        inputColorType: 0,
        inputHasAlpha: false,
      },
    )
    expect(Array.from((await decodeImage(grey)).data)).toEqual([
      0, 0, 0, 128, 128, 128, 255, 255, 255,
    ])
  })

  it('scales a 16-bit PNG to 8 bits by v / 257, rounded', async () => {
    const levels = Uint16Array.from([0, 129, 200, 65535])
    const png = pngjs.PNG.sync.write(
      { width: 4, height: 1, data: Buffer.from(levels.buffer) } as unknown as pngjs.PNG,
      { bitDepth: 16, colorType: 0, inputColorType: 0, inputHasAlpha: false },
    )
    expect(Array.from((await decodeImage(png)).data)).toEqual([
      0, 0, 0, 1, 1, 1, 1, 1, 1, 255, 255, 255,
    ])
  })

  it('drops the alpha of an RGBA PNG', async () => {
    const rgba = pngjs.PNG.sync.write({
      width: 2,
      height: 1,
      data: Buffer.from([10, 20, 30, 0, 40, 50, 60, 255]),
    } as unknown as pngjs.PNG)
    expect(Array.from((await decodeImage(rgba)).data)).toEqual([10, 20, 30, 40, 50, 60])
  })

  it('expands a grey JPEG (as SAMM ships) to three equal channels', async () => {
    const levels = [0, 37, 255, 128, 200, 1]
    const jpeg = greyJpeg(24, 16, (bx, by) => levels[bx + 3 * by])
    expect(parseImageHeader(jpeg)).toEqual({ format: 'jpeg', width: 24, height: 16 })
    const image = await decodeImage(jpeg)
    expect([image.width, image.height, image.data.length]).toEqual([24, 16, 24 * 16 * 3])
    for (let by = 0; by < 2; by++) {
      for (let bx = 0; bx < 3; bx++) {
        const o = ((by * 8 + 4) * 24 + bx * 8 + 4) * 3
        expect(Array.from(image.data.slice(o, o + 3))).toEqual(
          new Array(3).fill(levels[bx + 3 * by]),
        )
      }
    }
  })

  it.each([
    ['text', Buffer.from('not an image at all'), /is not a PNG or JPEG image/],
    ['a truncated PNG', encodePng(gradient(16, 16)).subarray(0, 60), /Cannot read image/],
    ['a truncated JPEG', encodeJpeg(gradient(16, 16)).subarray(0, 300), /Cannot read image/],
    ['nothing', new Uint8Array(0), /is not a PNG or JPEG image/],
  ])('refuses %s with an invalid_file error naming the source', async (_label, bytes, message) => {
    const error = await failure(decodeImage(bytes, 'sub01/EP02/img46.jpg'))
    expect(error.code).toBe('invalid_file')
    expect(error.message).toMatch(message)
    expect(error.message).toContain('sub01/EP02/img46.jpg')
  })

  it('says when an image file does not exist', async () => {
    const error = await failure(decodeImage('/nonexistent/img1.png'))
    expect(error.code).toBe('not_found')
    expect(error.message).toContain('/nonexistent/img1.png')
  })

  it('refuses to encode bytes that do not match the size', () => {
    const bad = { width: 4, height: 4, data: new Uint8Array(47) }
    expect(() => encodePng(bad)).toThrow(/needs 48 bytes, got 47/)
    expect(() => encodeJpeg(bad)).toThrow(AppError)
    expect(() => encodePng({ width: 0, height: 4, data: new Uint8Array(0) })).toThrow(/not valid/)
  })
})

describe('parseImageHeader', () => {
  it('reads a BMP size, top-down or bottom-up', () => {
    const bmp = Buffer.alloc(54)
    bmp.write('BM', 0, 'latin1')
    bmp.writeInt32LE(640, 18)
    bmp.writeInt32LE(-480, 22)
    expect(parseImageHeader(bmp)).toEqual({ format: 'bmp', width: 640, height: 480 })
  })

  it('walks past JPEG segments to the frame header', () => {
    const app1 = Buffer.concat([Buffer.from([0xff, 0xe1, 0x10, 0x02]), Buffer.alloc(0x1000)])
    const jpeg = greyJpeg(16, 8, () => 9)
    const withExif = Buffer.concat([jpeg.subarray(0, 2), app1, jpeg.subarray(2)])
    expect(parseImageHeader(withExif)).toEqual({ format: 'jpeg', width: 16, height: 8 })
    expect(parseImageHeader(withExif.subarray(0, 2000))).toBe('incomplete')
  })

  it('tells unknown formats from short reads', () => {
    expect(parseImageHeader(Buffer.from('GIF89a'))).toBe('unknown')
    expect(parseImageHeader(encodePng(gradient(2, 2)).subarray(0, 20))).toBe('incomplete')
  })
})
