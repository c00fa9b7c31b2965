/**
 * The apex spotter of apex.ts over a stream of frames, in bounded memory: frames are pushed
 * one at a time and scored in chunks of `chunkFrames` window centres, block by block (so one
 * block's sliding spectra stay in cache), holding only the LBP codes of the frames a chunk's
 * windows touch: at most chunkFrames + windowLength frames, whatever the clip's length.
 *
 * Each chunk restarts the sliding DFT of every block from its definition,
 * Z_{c0−1}[k] = Σ_{t=c0−1−h}^{c0−1+h} X_t[k]·w^{k·t} (frames clamped to the clip), so no
 * spectrum state is kept between chunks (it would take 16 bytes per pixel per temporal bin);
 * the first chunk starts as the whole-clip computation does, from the window of frame 0
 * repeated. A clip shorter than one chunk plus half a window is therefore scored exactly as
 * spotApex scores it in memory; longer clips differ by rounding only (the restart also stops
 * the sliding sum's rounding error from accumulating over a long recording).
 */
import { AppError } from '../../shared/errors'
import { toGrey } from './colour'
import { blockSpectrum, keptBins, layoutBlocks, slide, type Block } from './apex-spectra'
import { lbpCodes } from './lbp'
import { DEFAULT_APEX_PARAMS, checkNumber } from './types'
import type { ApexParams, ApexResult } from './types'

/** Relative tolerance under which two scores count as equal. */
const TIE_TOLERANCE = 1e-9

/** Options of {@link ApexStream}. */
export interface ApexStreamOptions {
  /** Window centres scored per pass (default 3 × windowLength; Infinity: the whole clip). */
  chunkFrames?: number
}

/** Checks the parameters against the clip size. */
export function resolveApexParams(
  params: Partial<ApexParams>,
  width: number,
  height: number,
): ApexParams {
  const resolved = { ...DEFAULT_APEX_PARAMS, ...params }
  checkNumber('windowLength', resolved.windowLength, { min: 1, integer: true })
  if (resolved.windowLength % 2 === 0) {
    throw new AppError('invalid_input', `windowLength must be odd, got ${resolved.windowLength}`, {
      field: 'windowLength',
      value: resolved.windowLength,
    })
  }
  checkNumber('radius', resolved.radius, { min: 0 })
  checkNumber('grid', resolved.grid, { min: 1, max: Math.min(width, height) - 2, integer: true })
  return resolved
}

/** Scores the frames of a clip pushed one at a time; `finish` gives the apex and the curve. */
export class ApexStream {
  readonly params: ApexParams
  /** The most frames whose LBP codes were held at once (what bounds the memory). */
  peakHeld = 0
  private readonly frameLength: number
  private readonly lbpWidth: number
  private readonly chunk: number
  private readonly capacity: number
  private readonly blocks: Block[]
  private readonly bins: Int32Array
  private readonly start: Int32Array
  private readonly zRe: Float64Array
  private readonly zIm: Float64Array
  private readonly dRe: Float64Array
  private readonly dIm: Float64Array
  private readonly cos: Float64Array
  private readonly sin: Float64Array
  private readonly zero: Uint8Array
  private readonly grey: Float32Array<ArrayBuffer>
  private readonly ring: (Uint8Array | undefined)[] = []
  private readonly scores: number[] = []
  private arrived = 0
  private lowest = 0

  /**
   * @param width frame width (at least grid + 2)
   * @param height frame height (at least grid + 2)
   * @param channels 1 (grey) or 3 (RGB, converted to Y)
   */
  constructor(
    readonly width: number,
    readonly height: number,
    readonly channels: 1 | 3,
    params: Partial<ApexParams> = {},
    options: ApexStreamOptions = {},
  ) {
    checkNumber('width', width, { min: 3, integer: true })
    checkNumber('height', height, { min: 3, integer: true })
    this.params = resolveApexParams(params, width, height)
    const n = this.params.windowLength
    this.chunk = options.chunkFrames ?? 3 * n
    if (this.chunk !== Infinity) checkNumber('chunkFrames', this.chunk, { min: 1, integer: true })
    this.capacity = this.chunk + n
    this.frameLength = width * height * channels
    this.lbpWidth = width - 2
    const layout = layoutBlocks(width - 2, height - 2, this.params.grid)
    this.blocks = layout.blocks
    ;({ bins: this.bins, start: this.start } = keptBins(
      layout.blocks,
      layout.size,
      n,
      this.params.radius,
    ))
    const perBlock = (n - 1) / 2 + 1
    let longest = 0
    for (let b = 0; b < this.blocks.length; b++) {
      longest = Math.max(longest, this.start[(b + 1) * perBlock] - this.start[b * perBlock])
    }
    this.zRe = new Float64Array(longest)
    this.zIm = new Float64Array(longest)
    this.dRe = new Float64Array(layout.size)
    this.dIm = new Float64Array(layout.size)
    this.cos = new Float64Array(n)
    this.sin = new Float64Array(n)
    for (let j = 0; j < n; j++) {
      this.cos[j] = Math.cos((2 * Math.PI * j) / n)
      this.sin[j] = -Math.sin((2 * Math.PI * j) / n)
    }
    this.zero = new Uint8Array((width - 2) * (height - 2))
    this.grey = new Float32Array(channels === 3 ? width * height : 0)
  }

  /** Frames pushed so far. */
  get frames(): number {
    return this.arrived
  }

  /** Adds the next frame (values in [0, 1]); scores a chunk once its last window is complete. */
  push(frame: Float32Array): void {
    if (frame.length !== this.frameLength) {
      throw new AppError(
        'invalid_input',
        `frame ${this.arrived} has ${frame.length} values, expected ${this.width}×${this.height}×${this.channels}`,
        { field: 'frames', index: this.arrived },
      )
    }
    const grey = toGrey(frame, this.channels, this.grey)
    this.ring[this.arrived % this.capacity] = lbpCodes(grey, this.width, this.height)
    this.arrived++
    this.peakHeld = Math.max(this.peakHeld, this.arrived - this.lowest)
    const half = (this.params.windowLength - 1) / 2
    const c0 = this.scores.length
    if (c0 + this.chunk - 1 + half <= this.arrived - 1) {
      this.scoreChunk(c0, c0 + this.chunk, this.arrived - 1)
      this.release(c0 + this.chunk - 1 - half)
    }
  }

  /** Scores the centres left and returns the apex and the score of every frame. */
  finish(): ApexResult {
    if (this.arrived === 0) {
      throw new AppError('invalid_input', 'the clip has no frames', { field: 'frames' })
    }
    if (this.scores.length < this.arrived) {
      this.scoreChunk(this.scores.length, this.arrived, this.arrived - 1)
    }
    const scores = Float64Array.from(this.scores)
    return { apexIndex: apexOf(scores), scores }
  }

  /** Drops the codes of every frame before `keep` (no later window needs them). */
  private release(keep: number): void {
    for (; this.lowest < keep; this.lowest++) this.ring[this.lowest % this.capacity] = undefined
  }

  /** The codes of frame t, clamped to the frames 0 … last. */
  private codes(t: number, last: number): Uint8Array {
    return this.ring[(t < 0 ? 0 : t > last ? last : t) % this.capacity]!
  }

  /** Scores the window centres c0 … c1 − 1, block by block. */
  private scoreChunk(c0: number, c1: number, last: number): void {
    for (let c = c0; c < c1; c++) this.scores.push(0)
    this.blocks.forEach((block, b) => this.scoreBlock(block, b, c0, c1, last))
  }

  /** One block's share of the scores of the centres c0 … c1 − 1. */
  private scoreBlock(block: Block, b: number, c0: number, c1: number, last: number): void {
    const n = this.params.windowLength
    const half = (n - 1) / 2
    const { dRe, dIm, zRe, zIm } = this
    const first = this.start[b * (half + 1)]
    zRe.fill(0)
    zIm.fill(0)
    let from = c0 - 1
    if (c0 === 0) {
      // The window centred on −half−1 holds frame 0 n times: only temporal bin 0 is non-zero.
      blockSpectrum(block, this.codes(0, last), this.zero, this.lbpWidth, dRe, dIm)
      for (let i = first; i < this.start[b * (half + 1) + 1]; i++) {
        zRe[i - first] = n * dRe[this.bins[i]]
        zIm[i - first] = n * dIm[this.bins[i]]
      }
      from = -half - 1
    } else {
      for (let t = c0 - 1 - half; t <= c0 - 1 + half; t++) {
        blockSpectrum(block, this.codes(t, last), this.zero, this.lbpWidth, dRe, dIm)
        this.slideBlock(b, first, (((t % n) + n) % n) as number, false)
      }
    }
    // Each step slides the window from `centre` to centre+1 (adding frame centre+half+1 and
    // dropping centre−half, both clamped to the clip) and scores the new window once its
    // centre is in the chunk.
    for (let centre = from; centre + 1 < c1; centre++) {
      const added = Math.min(Math.max(centre + half + 1, 0), last)
      const removed = Math.min(Math.max(centre - half, 0), last)
      const measure = centre + 1 >= c0
      if (added === removed) {
        if (!measure) continue
        dRe.fill(0, block.offset, block.offset + block.width * block.height)
        dIm.fill(0, block.offset, block.offset + block.width * block.height)
      } else {
        const codesAdded = this.codes(added, last)
        blockSpectrum(block, codesAdded, this.codes(removed, last), this.lbpWidth, dRe, dIm)
      }
      const score = this.slideBlock(b, first, (((centre - half) % n) + n) % n, measure)
      if (measure) this.scores[centre + 1] += score
    }
  }

  /** One sliding step of every temporal bin of block b at `phase`; the score when `measure`. */
  private slideBlock(b: number, first: number, phase: number, measure: boolean): number {
    const n = this.params.windowLength
    const half = (n - 1) / 2
    let score = 0
    for (let kt = 0; kt <= half; kt++) {
      const j = (phase * kt) % n
      const from = this.start[b * (half + 1) + kt]
      const to = this.start[b * (half + 1) + kt + 1]
      const { dRe, dIm, zRe, zIm } = this
      const sum = slide(
        this.bins,
        from,
        to,
        from - first,
        dRe,
        dIm,
        zRe,
        zIm,
        this.cos[j],
        this.sin[j],
        measure,
      )
      score += kt === 0 ? sum : 2 * sum
    }
    return score
  }
}

/**
 * Middle of the first run of scores within {@link TIE_TOLERANCE} of the maximum.
 * @param scores one score per frame, non-negative
 */
function apexOf(scores: Float64Array): number {
  let max = -Infinity
  for (const s of scores) max = Math.max(max, s)
  const floor = max - TIE_TOLERANCE * Math.abs(max)
  let first = 0
  while (scores[first] < floor) first++
  let last = first
  while (last + 1 < scores.length && scores[last + 1] >= floor) last++
  return (first + last) >> 1
}
