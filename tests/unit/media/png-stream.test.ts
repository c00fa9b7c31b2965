import { describe, expect, it } from 'vitest'
import { encodePng } from '../../../src/engine/media/image-io'
import { PngStreamSplitter, pngSize } from '../../../src/engine/media/png-stream'

const images = [1, 2, 3].map((n) =>
  encodePng({
    width: 3 + n,
    height: n,
    data: new Uint8Array((3 + n) * n * 3).map((_, i) => (i * n * 37) % 256),
  }),
)
const stream = Buffer.concat(images)

describe('PngStreamSplitter', () => {
  it('gives back the images of one big chunk', () => {
    const splitter = new PngStreamSplitter()
    expect(splitter.push(stream)).toEqual(images)
    expect(splitter.pending).toBe(0)
  })

  it('gives back the same images however the stream is cut', () => {
    for (const size of [1, 2, 7, 8, 9, 12, 13, 64]) {
      const splitter = new PngStreamSplitter()
      const out: Buffer[] = []
      for (let at = 0; at < stream.length; at += size)
        out.push(...splitter.push(stream.subarray(at, at + size)))
      expect(out).toEqual(images)
      expect(splitter.pending).toBe(0)
    }
  })

  it('gives each image its own bytes', () => {
    const splitter = new PngStreamSplitter()
    const [first] = splitter.push(Buffer.concat([images[0], images[1].subarray(0, 20)]))
    splitter.push(images[1].subarray(20))
    expect(first).toEqual(images[0])
  })

  it('grows for images larger than its buffer', () => {
    let state = 1
    const noise = new Uint8Array(700 * 700 * 3).map(
      () => (state = (state * 1103515245 + 12345) >>> 0) >>> 24,
    )
    const big = encodePng({ width: 700, height: 700, data: noise })
    expect(big.length).toBeGreaterThan(1 << 20)
    const splitter = new PngStreamSplitter()
    const out = [
      ...splitter.push(big.subarray(0, 5000)),
      ...splitter.push(big.subarray(5000)),
      ...splitter.push(images[0]),
    ]
    expect(out).toEqual([big, images[0]])
  })

  it('reports a stream that ends inside an image', () => {
    const splitter = new PngStreamSplitter()
    expect(splitter.push(stream.subarray(0, stream.length - 5))).toEqual(images.slice(0, 2))
    expect(splitter.pending).toBe(images[2].length - 5)
  })

  it('refuses bytes that are not PNG', () => {
    expect(() => new PngStreamSplitter().push(Buffer.from('GIF89a and more bytes'))).toThrow(
      /not a PNG/,
    )
  })

  it('reads the size from IHDR', () => {
    expect(pngSize(images[2])).toEqual({ width: 6, height: 3 })
    expect(() => pngSize(Buffer.from('short'))).toThrow(/IHDR/)
  })
})
