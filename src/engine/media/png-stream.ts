import { AppError } from '../../shared/errors'

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

/**
 * Cuts a stream of concatenated PNG files (ffmpeg's `-f image2pipe -c:v png`) into single
 * images by walking the chunk lengths up to each IEND chunk, without decoding anything.
 */
export class PngStreamSplitter {
  private buffer = Buffer.alloc(1 << 20)
  private used = 0
  /** Offset of the next chunk header in the current image; 0 until its signature is read. */
  private next = 0

  /** Feeds the next bytes of the stream; returns the images they complete, in order. */
  push(chunk: Uint8Array): Buffer[] {
    this.reserve(this.used + chunk.length)
    this.buffer.set(chunk, this.used)
    this.used += chunk.length
    const images: Buffer[] = []
    for (;;) {
      if (this.next === 0) {
        if (this.used < SIGNATURE.length) break
        if (!this.buffer.subarray(0, SIGNATURE.length).equals(SIGNATURE)) {
          throw new AppError(
            'internal',
            'The PNG stream from ffmpeg holds something that is not a PNG',
          )
        }
        this.next = SIGNATURE.length
      }
      if (this.used < this.next + 8) break
      const end = this.next + 12 + this.buffer.readUInt32BE(this.next)
      if (this.used < end) break
      const isEnd = this.buffer.toString('latin1', this.next + 4, this.next + 8) === 'IEND'
      this.next = end
      if (isEnd) {
        images.push(Buffer.from(this.buffer.subarray(0, end)))
        this.buffer.copyWithin(0, end, this.used)
        this.used -= end
        this.next = 0
      }
    }
    return images
  }

  /** Bytes of an unfinished image; anything but 0 at the end of the stream means truncation. */
  get pending(): number {
    return this.used
  }

  private reserve(size: number): void {
    if (size <= this.buffer.length) return
    const grown = Buffer.alloc(Math.max(size, this.buffer.length * 2))
    this.buffer.copy(grown, 0, 0, this.used)
    this.buffer = grown
  }
}

/** Width and height from a PNG's IHDR chunk (which the format requires to come first). */
export function pngSize(png: Uint8Array): { width: number; height: number } {
  const view = Buffer.from(png.buffer, png.byteOffset, png.byteLength)
  if (view.length < 24 || view.toString('latin1', 12, 16) !== 'IHDR') {
    throw new AppError('internal', 'PNG image without an IHDR chunk')
  }
  return { width: view.readUInt32BE(16), height: view.readUInt32BE(20) }
}
