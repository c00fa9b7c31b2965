/**
 * A minimal baseline JPEG writer for single-channel (greyscale) images made of flat 8×8
 * blocks: the kind of file SAMM ships, which neither jpeg-js nor ffmpeg's mjpeg encoder can
 * write. With every quantiser at 8, a flat block's only coefficient is its level − 128, so
 * the file decodes back to exactly the levels given.
 */
export function greyJpeg(
  width: number,
  height: number,
  blockLevel: (bx: number, by: number) => number,
): Buffer {
  if (width % 8 !== 0 || height % 8 !== 0) throw new Error('greyJpeg: sides must be multiples of 8')
  const dcBits = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0]
  const dcValues = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]
  const dcCodes = canonicalCodes(dcBits, dcValues)
  const segment = (marker: number, body: number[]) => [
    0xff,
    marker,
    (body.length + 2) >> 8,
    (body.length + 2) & 255,
    ...body,
  ]
  const bytes: number[] = [0xff, 0xd8]
  bytes.push(...segment(0xdb, [0x00, ...new Array<number>(64).fill(8)]))
  bytes.push(
    ...segment(0xc0, [8, height >> 8, height & 255, width >> 8, width & 255, 1, 1, 0x11, 0]),
  )
  bytes.push(...segment(0xc4, [0x00, ...dcBits, ...dcValues]))
  // The AC table holds one symbol, end-of-block, coded '0'.
  bytes.push(...segment(0xc4, [0x10, 1, ...new Array<number>(15).fill(0), 0x00]))
  bytes.push(...segment(0xda, [1, 1, 0x00, 0, 63, 0]))
  const writer = new BitWriter()
  let previous = 0
  for (let by = 0; by < height / 8; by++) {
    for (let bx = 0; bx < width / 8; bx++) {
      const dc = Math.round(blockLevel(bx, by)) - 128
      const diff = dc - previous
      previous = dc
      const size = diff === 0 ? 0 : Math.floor(Math.log2(Math.abs(diff))) + 1
      const [code, length] = dcCodes.get(size) ?? [0, 0]
      writer.write(code, length)
      writer.write(diff >= 0 ? diff : diff + (1 << size) - 1, size)
      writer.write(0, 1)
    }
  }
  bytes.push(...writer.finish(), 0xff, 0xd9)
  return Buffer.from(bytes)
}

function canonicalCodes(bits: number[], values: number[]): Map<number, [number, number]> {
  const codes = new Map<number, [number, number]>()
  let code = 0
  let k = 0
  for (let length = 1; length <= 16; length++) {
    for (let i = 0; i < bits[length - 1]; i++) codes.set(values[k++], [code++, length])
    code <<= 1
  }
  return codes
}

class BitWriter {
  private readonly bytes: number[] = []
  private current = 0
  private count = 0

  write(value: number, length: number): void {
    for (let i = length - 1; i >= 0; i--) {
      this.current = (this.current << 1) | ((value >> i) & 1)
      if (++this.count === 8) this.flush()
    }
  }

  finish(): number[] {
    while (this.count !== 0) this.write(1, 1)
    return this.bytes
  }

  private flush(): void {
    this.bytes.push(this.current)
    // A 0xFF in entropy-coded data is followed by a stuffed zero byte.
    if (this.current === 0xff) this.bytes.push(0)
    this.current = 0
    this.count = 0
  }
}
