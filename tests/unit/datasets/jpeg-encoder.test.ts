import { describe, expect, it } from 'vitest'
import { encodeJpegRgb } from '../../../src/engine/datasets/synthetic/jpeg-encoder'
import { decodeImage } from '../../../src/engine/media/image-io'

function gradient(width: number, height: number): Uint8Array {
  const data = new Uint8Array(width * height * 3)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = (y * width + x) * 3
      data[p] = (x * 255) / width
      data[p + 1] = (y * 255) / height
      data[p + 2] = 128 + 60 * Math.sin(x / 5) * Math.cos(y / 7)
    }
  }
  return data
}

function psnr(rgb: Uint8Array, decoded: Uint8Array): number {
  let se = 0
  for (let i = 0; i < rgb.length; i++) se += (rgb[i] - decoded[i]) ** 2
  return 10 * Math.log10((255 * 255) / (se / rgb.length))
}

describe('encodeJpegRgb', () => {
  it('writes a baseline JPEG that the reference decoder (libjpeg-turbo, via sharp) reads back closely', async () => {
    for (const [width, height] of [
      [160, 160],
      [37, 23],
      [64, 48],
    ]) {
      const data = gradient(width, height)
      const decoded = await decodeImage(encodeJpegRgb({ data, width, height }, 92))
      expect([decoded.width, decoded.height]).toEqual([width, height])
      expect(psnr(data, decoded.data)).toBeGreaterThan(33)
    }
  })

  it('trades size for quality', async () => {
    const data = gradient(96, 96)
    const low = encodeJpegRgb({ data, width: 96, height: 96 }, 30)
    const high = encodeJpegRgb({ data, width: 96, height: 96 }, 95)
    expect(low.length).toBeLessThan(high.length)
    const decodedLow = await decodeImage(low)
    const decodedHigh = await decodeImage(high)
    expect(psnr(data, decodedHigh.data)).toBeGreaterThan(psnr(data, decodedLow.data))
  })

  it('gives the same bytes for the same pixels', () => {
    const data = gradient(50, 40)
    expect(encodeJpegRgb({ data, width: 50, height: 40 })).toEqual(
      encodeJpegRgb({ data, width: 50, height: 40 }),
    )
  })

  it('stuffs 0xFF bytes in the entropy data (noisy image)', async () => {
    const data = new Uint8Array(64 * 64 * 3)
    let s = 1
    for (let i = 0; i < data.length; i++) {
      s = (s * 1103515245 + 12345) >>> 0
      data[i] = s >>> 24
    }
    // decodeImage fails on any decoder warning, so a stray marker in the data would show.
    const decoded = await decodeImage(encodeJpegRgb({ data, width: 64, height: 64 }, 100))
    expect(decoded.width).toBe(64)
  })
})
