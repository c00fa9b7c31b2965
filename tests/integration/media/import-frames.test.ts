import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AppError } from '../../../src/shared/errors'
import { readCachedFrame, resolveFramePath } from '../../../src/engine/media/frame-cache'
import {
  decodeImage,
  encodeJpeg,
  encodePng,
  type RgbImage,
} from '../../../src/engine/media/image-io'
import { importFrameFolder, importFrameImages } from '../../../src/engine/media/import-frames'
import { tempDir } from '../../helpers/temp'
import { greyJpeg } from '../../unit/media/grey-jpeg'
import { filesBelow, toolSets } from './fixtures'

const sets = await toolSets()
let dir: string
let cleanup: () => void

/** A 32×24 frame whose top-left pixel holds `level` in red and a gradient elsewhere. */
function frame(level: number, width = 32, height = 24): RgbImage {
  const data = new Uint8Array(width * height * 3)
  for (let i = 0; i < width * height; i++) {
    data[i * 3] = i === 0 ? level : (i * 5) % 256
    data[i * 3 + 1] = (i * 3) % 256
    data[i * 3 + 2] = level
  }
  return { width, height, data }
}

/** An uncompressed 24-bit bottom-up BMP of an RGB image (rows BGR, padded to 4 bytes). */
function bmp(image: RgbImage): Buffer {
  const { width, height, data } = image
  const stride = Math.ceil((width * 3) / 4) * 4
  const out = Buffer.alloc(54 + stride * height)
  out.write('BM', 0, 'latin1')
  out.writeUInt32LE(out.length, 2)
  out.writeUInt32LE(54, 10)
  out.writeUInt32LE(40, 14)
  out.writeInt32LE(width, 18)
  out.writeInt32LE(height, 22)
  out.writeUInt16LE(1, 26)
  out.writeUInt16LE(24, 28)
  out.writeUInt32LE(stride * height, 34)
  for (let y = 0; y < height; y++) {
    const row = 54 + (height - 1 - y) * stride
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3
      out[row + x * 3] = data[i + 2]
      out[row + x * 3 + 1] = data[i + 1]
      out[row + x * 3 + 2] = data[i]
    }
  }
  return out
}

function folder(name: string, files: Record<string, Buffer | string>): string {
  const at = path.join(dir, name)
  fs.mkdirSync(at, { recursive: true })
  for (const [file, bytes] of Object.entries(files)) fs.writeFileSync(path.join(at, file), bytes)
  return at
}

beforeAll(() => {
  ;({ dir, cleanup } = tempDir('microau-import-'))
})
afterAll(() => cleanup())

describe.each(sets)('importing frame images with $name', ({ name, tools }) => {
  const cacheFor = (label: string) => path.join(dir, `${name.replace(/\W+/g, '-')}-${label}.frames`)

  it('imports PNG frames by the trailing number, whatever the padding, skipping strays', async () => {
    const clip = folder(`${name}-png`, {
      'img9.png': encodePng(frame(9)),
      'img10.png': encodePng(frame(10)),
      'img008.png': encodePng(frame(8)),
      'Thumbs.db': 'junk',
      'notes.txt': 'apex 9',
    })
    const cache = cacheFor('png')
    const result = await importFrameFolder(clip, cache, { tools })
    expect(result.frames.map((f) => [f.number, path.basename(f.file)])).toEqual([
      [8, 'img008.png'],
      [9, 'img9.png'],
      [10, 'img10.png'],
    ])
    expect(result.skipped.sort()).toEqual(['Thumbs.db', 'notes.txt'])
    expect([result.width, result.height]).toEqual([32, 24])
    for (const f of result.frames) {
      // PNG to PNG is lossless: the cached frame is the source, pixel for pixel.
      expect(Buffer.compare((await readCachedFrame(cache, f.key)).data, frame(f.number).data)).toBe(
        0,
      )
    }
    expect(filesBelow(cache).sort()).toEqual(
      result.frames.map((f) => path.relative(cache, resolveFramePath(cache, f.key))).sort(),
    )
  })

  it('imports colour and grey JPEGs (grey expanded to RGB), with progress', async () => {
    const grey = (level: number) => greyJpeg(32, 24, (bx, by) => (level + bx * 10 + by * 40) % 256)
    const clip = folder(`${name}-jpeg`, {
      '006_05562.jpg': grey(0),
      '006_05563.jpg': grey(100),
      '006_05564.JPEG': encodeJpeg(frame(200), 95),
    })
    const progress: number[] = []
    const result = await importFrameFolder(clip, cacheFor('jpeg'), {
      tools,
      onProgress: (p) => progress.push(p.done),
    })
    expect(result.frames.map((f) => f.number)).toEqual([5562, 5563, 5564])
    expect(progress).toEqual([1, 2, 3])
    const second = await readCachedFrame(cacheFor('jpeg'), result.frames[1].key)
    // Block (1, 2) of the second grey frame is level 100 + 10 + 80, in all three channels.
    const at = ((2 * 8 + 3) * 32 + 1 * 8 + 3) * 3
    expect(Array.from(second.data.slice(at, at + 3))).toEqual([190, 190, 190])
    const colour = await readCachedFrame(cacheFor('jpeg'), result.frames[2].key)
    expect(Math.abs(colour.data[2] - 200)).toBeLessThanOrEqual(8)
  })

  it('imports a mixed PNG/JPEG list in frame order', async () => {
    const clip = folder(`${name}-mixed`, {
      '1.png': encodePng(frame(1)),
      '2.jpg': encodeJpeg(frame(2), 95),
      '3.png': encodePng(frame(3)),
    })
    const images = ['3.png', '1.png', '2.jpg'].map((file) => ({
      number: Number(file[0]),
      file: path.join(clip, file),
    }))
    const result = await importFrameImages(images, cacheFor('mixed'), { tools })
    expect(result.frames.map((f) => f.number)).toEqual([1, 2, 3])
    const third = await readCachedFrame(cacheFor('mixed'), result.frames[2].key)
    expect(Buffer.compare(third.data, frame(3).data)).toBe(0)
  })

  it('caches a JPEG as the pixels decodeImage gives, which training reads', async () => {
    const clip = folder(`${name}-same-pixels`, {
      '1.jpg': encodeJpeg(frame(70), 75),
      '2.jpg': greyJpeg(32, 24, (bx, by) => 30 + bx * 20 + by * 50),
    })
    const result = await importFrameFolder(clip, cacheFor('same-pixels'), { tools })
    for (const f of result.frames) {
      const cached = await readCachedFrame(cacheFor('same-pixels'), f.key)
      expect(Buffer.compare(cached.data, (await decodeImage(f.file)).data)).toBe(0)
    }
  })

  it('imports BMP frames (through ffmpeg) between PNG frames, losslessly', async () => {
    const clip = folder(`${name}-bmp`, {
      '1.png': encodePng(frame(1)),
      '2.bmp': bmp(frame(2)),
      '3.bmp': bmp(frame(3, 30, 24)),
    })
    await expect(importFrameFolder(clip, cacheFor('bmp-sizes'), { tools })).rejects.toThrow(
      `Frame image ${path.join(clip, '3.bmp')} is 30×24`,
    )
    fs.writeFileSync(path.join(clip, '3.bmp'), bmp(frame(3)))
    const result = await importFrameFolder(clip, cacheFor('bmp'), { tools })
    expect(result.frames.map((f) => f.number)).toEqual([1, 2, 3])
    for (const f of result.frames) {
      const cached = await readCachedFrame(cacheFor('bmp'), f.key)
      expect(Buffer.compare(cached.data, frame(f.number).data)).toBe(0)
    }
  })

  it.each([
    ['a damaged JPEG', () => encodeJpeg(frame(5), 90).subarray(0, 400)],
    ['a file that is no image', () => Buffer.from('this is not an image')],
    ['an empty file', () => Buffer.alloc(0)],
  ])('names %s and leaves the cache empty', async (_label, bad) => {
    const label = _label.replace(/\W+/g, '-')
    const clip = folder(`${name}-${label}`, {
      'img1.jpg': encodeJpeg(frame(1), 90),
      'img2.jpg': bad(),
      'img3.jpg': encodeJpeg(frame(3), 90),
    })
    const cache = cacheFor(label)
    const error = await importFrameFolder(clip, cache, { tools }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AppError)
    expect(error).toMatchObject({ code: 'invalid_file' })
    expect((error as AppError).message).toContain(path.join(clip, 'img2.jpg'))
    expect(filesBelow(cache)).toEqual([])
  })

  it('names the frame whose size differs', async () => {
    const clip = folder(`${name}-sizes`, {
      'img1.png': encodePng(frame(1)),
      'img2.png': encodePng(frame(2)),
      'img3.png': encodePng(frame(3, 16, 24)),
    })
    await expect(importFrameFolder(clip, cacheFor('sizes'), { tools })).rejects.toThrow(
      `Frame image ${path.join(clip, 'img3.png')} is 16×24 but ${path.join(clip, 'img1.png')} is 32×24`,
    )
    expect(filesBelow(cacheFor('sizes'))).toEqual([])
  })

  it('refuses two files claiming one frame number', async () => {
    const clip = folder(`${name}-twice`, {
      'img1.png': encodePng(frame(1)),
      'img01.png': encodePng(frame(1)),
    })
    await expect(importFrameFolder(clip, cacheFor('twice'), { tools })).rejects.toMatchObject({
      code: 'invalid_file',
      message: expect.stringMatching(/img01\.png and img1\.png both claim frame number 1/),
    })
  })

  it('copes with quotes and spaces in file names', async () => {
    const clip = folder(`${name}-it's a clip`, {
      "frame 'one' 1.png": encodePng(frame(1)),
      'frame 2.png': encodePng(frame(2)),
    })
    const result = await importFrameFolder(clip, cacheFor('quotes'), { tools })
    expect(result.frames.map((f) => f.number)).toEqual([1, 2])
  })

  it('cancels: rejects with cancelled and leaves no cache files', async () => {
    const files: Record<string, Buffer> = {}
    for (let i = 1; i <= 40; i++) files[`img${i}.png`] = encodePng(frame(i))
    const clip = folder(`${name}-cancel`, files)
    const controller = new AbortController()
    const cache = cacheFor('cancel')
    const error = await importFrameFolder(clip, cache, {
      tools,
      signal: controller.signal,
      onProgress: ({ done }) => done === 5 && controller.abort(),
    }).catch((e: unknown) => e)
    // Either the conversion or the staging noticed; both leave nothing behind.
    expect(error).toMatchObject({ code: 'cancelled' })
    expect(filesBelow(cache)).toEqual([])
  })
})
