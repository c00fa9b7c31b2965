/**
 * A baseline JPEG encoder (JFIF, YCbCr 4:2:0, the standard Huffman tables of ITU T.81
 * Annex K, float AAN forward DCT). Tables are built once per quality, so a 160×160 frame
 * takes about a millisecond; output is byte-identical for identical pixels everywhere.
 */

const ZIGZAG = Uint8Array.from([
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20,
  13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52,
  45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
])

const LUMA_QUANT = [
  16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56,
  14, 17, 22, 29, 51, 87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113,
  92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
]

const CHROMA_QUANT = [
  17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99, 24, 26, 56, 99, 99, 99, 99, 99,
  47, 66, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
  99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
]

const DC_LUMA_BITS = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0]
const DC_CHROMA_BITS = [0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0]
const DC_VALUES = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]

const AC_LUMA_BITS = [0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7d]
const AC_LUMA_VALUES = [
  0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61, 0x07,
  0x22, 0x71, 0x14, 0x32, 0x81, 0x91, 0xa1, 0x08, 0x23, 0x42, 0xb1, 0xc1, 0x15, 0x52, 0xd1, 0xf0,
  0x24, 0x33, 0x62, 0x72, 0x82, 0x09, 0x0a, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x25, 0x26, 0x27, 0x28,
  0x29, 0x2a, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49,
  0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69,
  0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89,
  0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,
  0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3, 0xc4, 0xc5,
  0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xe1, 0xe2,
  0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8,
  0xf9, 0xfa,
]

const AC_CHROMA_BITS = [0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 0x77]
const AC_CHROMA_VALUES = [
  0x00, 0x01, 0x02, 0x03, 0x11, 0x04, 0x05, 0x21, 0x31, 0x06, 0x12, 0x41, 0x51, 0x07, 0x61, 0x71,
  0x13, 0x22, 0x32, 0x81, 0x08, 0x14, 0x42, 0x91, 0xa1, 0xb1, 0xc1, 0x09, 0x23, 0x33, 0x52, 0xf0,
  0x15, 0x62, 0x72, 0xd1, 0x0a, 0x16, 0x24, 0x34, 0xe1, 0x25, 0xf1, 0x17, 0x18, 0x19, 0x1a, 0x26,
  0x27, 0x28, 0x29, 0x2a, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48,
  0x49, 0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,
  0x69, 0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87,
  0x88, 0x89, 0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5,
  0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3,
  0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda,
  0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8,
  0xf9, 0xfa,
]

// AAN scale factors: the float AAN DCT leaves coefficient (u, v) scaled by 8·s[u]·s[v].
const AAN_SCALE = [
  1.0, 1.387039845, 1.306562965, 1.175875602, 1.0, 0.785694958, 0.5411961, 0.275899379,
]

interface HuffmanTable {
  codes: Uint16Array
  lengths: Uint8Array
}

function buildHuffman(bits: readonly number[], values: readonly number[]): HuffmanTable {
  const table = { codes: new Uint16Array(256), lengths: new Uint8Array(256) }
  let code = 0
  let k = 0
  for (let length = 1; length <= 16; length++) {
    for (let i = 0; i < bits[length - 1]; i++) {
      table.codes[values[k]] = code
      table.lengths[values[k]] = length
      code++
      k++
    }
    code <<= 1
  }
  return table
}

const DC_LUMA = buildHuffman(DC_LUMA_BITS, DC_VALUES)
const DC_CHROMA = buildHuffman(DC_CHROMA_BITS, DC_VALUES)
const AC_LUMA = buildHuffman(AC_LUMA_BITS, AC_LUMA_VALUES)
const AC_CHROMA = buildHuffman(AC_CHROMA_BITS, AC_CHROMA_VALUES)

/** Quantisation tables for one quality: as written to the file, and as DCT multipliers. */
interface QuantTables {
  luma: Uint8Array
  chroma: Uint8Array
  lumaReciprocals: Float64Array
  chromaReciprocals: Float64Array
}

const quantCache = new Map<number, QuantTables>()

function quantTables(quality: number): QuantTables {
  const cached = quantCache.get(quality)
  if (cached) return cached
  const scale = quality < 50 ? Math.floor(5000 / quality) : 200 - quality * 2
  const scaleTable = (base: readonly number[]) => {
    const out = new Uint8Array(64)
    for (let i = 0; i < 64; i++)
      out[i] = Math.min(255, Math.max(1, Math.floor((base[i] * scale + 50) / 100)))
    return out
  }
  const reciprocals = (table: Uint8Array) => {
    const out = new Float64Array(64)
    for (let v = 0; v < 8; v++) {
      for (let u = 0; u < 8; u++)
        out[v * 8 + u] = 1 / (table[v * 8 + u] * AAN_SCALE[v] * AAN_SCALE[u] * 8)
    }
    return out
  }
  const luma = scaleTable(LUMA_QUANT)
  const chroma = scaleTable(CHROMA_QUANT)
  const tables = {
    luma,
    chroma,
    lumaReciprocals: reciprocals(luma),
    chromaReciprocals: reciprocals(chroma),
  }
  quantCache.set(quality, tables)
  return tables
}

/** Appends bytes and bits to a growing buffer, stuffing a 0 after every 0xFF of entropy data. */
class ByteWriter {
  private buffer = new Uint8Array(16384)
  length = 0
  private bitBuffer = 0
  private bitCount = 0

  byte(value: number): void {
    if (this.length === this.buffer.length) {
      const bigger = new Uint8Array(this.buffer.length * 2)
      bigger.set(this.buffer)
      this.buffer = bigger
    }
    this.buffer[this.length++] = value
  }

  word(value: number): void {
    this.byte((value >> 8) & 0xff)
    this.byte(value & 0xff)
  }

  bytes(values: ArrayLike<number>): void {
    for (let i = 0; i < values.length; i++) this.byte(values[i])
  }

  bits(code: number, length: number): void {
    this.bitBuffer = (this.bitBuffer << length) | code
    this.bitCount += length
    while (this.bitCount >= 8) {
      const b = (this.bitBuffer >> (this.bitCount - 8)) & 0xff
      this.byte(b)
      if (b === 0xff) this.byte(0)
      this.bitCount -= 8
    }
    this.bitBuffer &= (1 << this.bitCount) - 1
  }

  flushBits(): void {
    if (this.bitCount > 0) this.bits((1 << (8 - this.bitCount)) - 1, 8 - this.bitCount)
  }

  result(): Buffer {
    return Buffer.from(this.buffer.buffer, 0, this.length)
  }
}

/** Forward DCT of an 8×8 block in place (float AAN, from the IJG's jfdctflt). */
function forwardDct(d: Float64Array): void {
  for (let pass = 0; pass < 2; pass++) {
    const step = pass === 0 ? 1 : 8
    const stride = pass === 0 ? 8 : 1
    for (let line = 0; line < 8; line++) {
      const o = line * stride
      const d0 = d[o],
        d1 = d[o + step],
        d2 = d[o + 2 * step],
        d3 = d[o + 3 * step]
      const d4 = d[o + 4 * step],
        d5 = d[o + 5 * step],
        d6 = d[o + 6 * step],
        d7 = d[o + 7 * step]
      const tmp0 = d0 + d7
      const tmp7 = d0 - d7
      const tmp1 = d1 + d6
      const tmp6 = d1 - d6
      const tmp2 = d2 + d5
      const tmp5 = d2 - d5
      const tmp3 = d3 + d4
      const tmp4 = d3 - d4
      let tmp10 = tmp0 + tmp3
      const tmp13 = tmp0 - tmp3
      let tmp11 = tmp1 + tmp2
      let tmp12 = tmp1 - tmp2
      d[o] = tmp10 + tmp11
      d[o + 4 * step] = tmp10 - tmp11
      const z1 = (tmp12 + tmp13) * 0.707106781
      d[o + 2 * step] = tmp13 + z1
      d[o + 6 * step] = tmp13 - z1
      tmp10 = tmp4 + tmp5
      tmp11 = tmp5 + tmp6
      tmp12 = tmp6 + tmp7
      const z5 = (tmp10 - tmp12) * 0.382683433
      const z2 = 0.5411961 * tmp10 + z5
      const z4 = 1.306562965 * tmp12 + z5
      const z3 = tmp11 * 0.707106781
      const z11 = tmp7 + z3
      const z13 = tmp7 - z3
      d[o + 5 * step] = z13 + z2
      d[o + 3 * step] = z13 - z2
      d[o + step] = z11 + z4
      d[o + 7 * step] = z11 - z4
    }
  }
}

function bitLength(value: number): number {
  let v = value < 0 ? -value : value
  let n = 0
  while (v > 0) {
    n++
    v >>= 1
  }
  return n
}

/** An RGB image: 3 bytes per pixel, rows top to bottom. */
export interface RgbImage {
  data: Uint8Array
  width: number
  height: number
}

/**
 * Encodes an RGB image as a baseline JPEG at `quality` (1–100, IJG scaling of the Annex K
 * tables), chroma subsampled 4:2:0 as cameras write them.
 */
export function encodeJpegRgb(image: RgbImage, quality = 90): Buffer {
  const { width, height } = image
  const q = Math.min(100, Math.max(1, Math.round(quality)))
  const tables = quantTables(q)
  const planes = toPlanes(image)
  const out = new ByteWriter()
  writeHeaders(out, width, height, tables)
  const block = new Float64Array(64)
  const quantised = new Int32Array(64)
  let dcY = 0
  let dcCb = 0
  let dcCr = 0
  for (let my = 0; my < planes.height; my += 16) {
    for (let mx = 0; mx < planes.width; mx += 16) {
      for (let b = 0; b < 4; b++) {
        loadBlock(planes.y, planes.width, mx + (b & 1) * 8, my + (b >> 1) * 8, block)
        quantise(block, tables.lumaReciprocals, quantised)
        dcY = encodeBlock(out, quantised, dcY, DC_LUMA, AC_LUMA)
      }
      loadBlock(planes.cb, planes.width / 2, mx / 2, my / 2, block)
      quantise(block, tables.chromaReciprocals, quantised)
      dcCb = encodeBlock(out, quantised, dcCb, DC_CHROMA, AC_CHROMA)
      loadBlock(planes.cr, planes.width / 2, mx / 2, my / 2, block)
      quantise(block, tables.chromaReciprocals, quantised)
      dcCr = encodeBlock(out, quantised, dcCr, DC_CHROMA, AC_CHROMA)
    }
  }
  out.flushBits()
  out.word(0xffd9)
  return out.result()
}

/** Level-shifted Y at full resolution and Cb, Cr averaged over 2×2, padded to 16 by edge copies. */
interface Planes {
  width: number
  height: number
  y: Float32Array
  cb: Float32Array
  cr: Float32Array
}

function toPlanes(image: RgbImage): Planes {
  const { data, width, height } = image
  const pw = Math.ceil(width / 16) * 16
  const ph = Math.ceil(height / 16) * 16
  const planes = {
    width: pw,
    height: ph,
    y: new Float32Array(pw * ph),
    cb: new Float32Array((pw / 2) * (ph / 2)),
    cr: new Float32Array((pw / 2) * (ph / 2)),
  }
  const half = pw / 2
  for (let y = 0; y < ph; y++) {
    const row = (y < height ? y : height - 1) * width
    const chromaRow = (y >> 1) * half
    for (let x = 0; x < pw; x++) {
      const p = (row + (x < width ? x : width - 1)) * 3
      const r = data[p]
      const g = data[p + 1]
      const b = data[p + 2]
      planes.y[y * pw + x] = 0.299 * r + 0.587 * g + 0.114 * b - 128
      const c = chromaRow + (x >> 1)
      planes.cb[c] += 0.25 * (-0.168736 * r - 0.331264 * g + 0.5 * b)
      planes.cr[c] += 0.25 * (0.5 * r - 0.418688 * g - 0.081312 * b)
    }
  }
  return planes
}

function loadBlock(
  plane: Float32Array,
  stride: number,
  x0: number,
  y0: number,
  block: Float64Array,
): void {
  for (let y = 0; y < 8; y++) {
    const row = (y0 + y) * stride + x0
    for (let x = 0; x < 8; x++) block[y * 8 + x] = plane[row + x]
  }
}

/** DCT of a block, then quantised coefficients in zig-zag order. */
function quantise(block: Float64Array, reciprocals: Float64Array, out: Int32Array): void {
  forwardDct(block)
  for (let k = 0; k < 64; k++) {
    const n = ZIGZAG[k]
    const v = block[n] * reciprocals[n]
    // round half away from zero; | 0 is exact here because |v| < 2^11
    out[k] = v >= 0 ? (v + 0.5) | 0 : -((0.5 - v) | 0)
  }
}

function encodeBlock(
  out: ByteWriter,
  q: Int32Array,
  previousDc: number,
  dc: HuffmanTable,
  ac: HuffmanTable,
): number {
  const diff = q[0] - previousDc
  const dcSize = bitLength(diff)
  out.bits(dc.codes[dcSize], dc.lengths[dcSize])
  if (dcSize > 0) out.bits(diff < 0 ? diff + (1 << dcSize) - 1 : diff, dcSize)
  let last = 63
  while (last > 0 && q[last] === 0) last--
  let run = 0
  for (let k = 1; k <= last; k++) {
    const value = q[k]
    if (value === 0) {
      run++
      continue
    }
    while (run >= 16) {
      out.bits(ac.codes[0xf0], ac.lengths[0xf0])
      run -= 16
    }
    const size = bitLength(value)
    const symbol = (run << 4) | size
    out.bits(ac.codes[symbol], ac.lengths[symbol])
    out.bits(value < 0 ? value + (1 << size) - 1 : value, size)
    run = 0
  }
  if (last < 63) out.bits(ac.codes[0], ac.lengths[0])
  return q[0]
}

function writeHeaders(out: ByteWriter, width: number, height: number, tables: QuantTables): void {
  out.word(0xffd8)
  // APP0 JFIF 1.01, no density units, no thumbnail
  out.word(0xffe0)
  out.word(16)
  out.bytes([0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0])
  // DQT: table 0 (luma) and 1 (chroma), zig-zag order
  out.word(0xffdb)
  out.word(2 + 2 * 65)
  for (const [id, table] of [
    [0, tables.luma],
    [1, tables.chroma],
  ] as const) {
    out.byte(id)
    for (let k = 0; k < 64; k++) out.byte(table[ZIGZAG[k]])
  }
  // SOF0: 8-bit, three components, luma sampled 2×2 against chroma (4:2:0)
  out.word(0xffc0)
  out.word(17)
  out.byte(8)
  out.word(height)
  out.word(width)
  out.byte(3)
  out.bytes([1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1])
  // DHT: the four standard tables
  const huffman: [number, readonly number[], readonly number[]][] = [
    [0x00, DC_LUMA_BITS, DC_VALUES],
    [0x10, AC_LUMA_BITS, AC_LUMA_VALUES],
    [0x01, DC_CHROMA_BITS, DC_VALUES],
    [0x11, AC_CHROMA_BITS, AC_CHROMA_VALUES],
  ]
  out.word(0xffc4)
  out.word(2 + huffman.reduce((n, [, bits, values]) => n + 1 + bits.length + values.length, 0))
  for (const [id, bits, values] of huffman) {
    out.byte(id)
    out.bytes(bits)
    out.bytes(values)
  }
  // SOS: all three components, full spectral range
  out.word(0xffda)
  out.word(12)
  out.byte(3)
  out.bytes([1, 0x00, 2, 0x11, 3, 0x11])
  out.bytes([0, 63, 0])
}
