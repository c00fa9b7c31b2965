import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { AppError } from '../../shared/errors'
import { applyCrop, type CropBox } from '../media/face/align'
import type { RgbImage } from '../media/image-io'

/**
 * Start of a spill folder's name; the owner's process id follows (`microau-spill-<pid>-…`),
 * so a sweep can tell the folders of live batches from those a killed worker left.
 */
export const SPILL_PREFIX = 'microau-spill-'

/**
 * Bytes a spill takes for `frames` frames of crops `side` pixels square: one record per frame,
 * frames × 3·side² (the RGB crop). Example: 12,000 frames (60 s at 200 fps) of the paper
 * preset's 256-pixel crops: 12,000 × 196,608 = 2,359,296,000.
 */
export function spillBytesFor(frames: number, side: number): number {
  return frames * 3 * side * side
}

/**
 * The face crops of a recording's frames, written to a temporary file while the recording is
 * read once, so the spotted events can be predicted after the spotter has seen the whole
 * recording (its threshold is a robust z over every frame: no interval is final before the
 * last frame) without reading the video again and without holding frames in memory.
 *
 * One record per frame (1-based, in decoding order): the frame cut at the box the tracker
 * followed to it (or the whole frame when there is no face box) and resized to side × side
 * RGB in one bilinear pass (`applyCrop`); the boxes themselves are the spotter's face track.
 * Disk: frames × 3·side² bytes
 * (spillBytesFor); memory: one record. `dispose` deletes the file. The file lies in a folder
 * named after this process (SPILL_PREFIX, pid), so a spill a killed process left behind can
 * be swept (`sweepStaleSpills`).
 */
export class CropSpill {
  private readonly dir: string
  private readonly fd: number
  private readonly record: number
  private count = 0

  /**
   * @param side side of the stored crops (the model's resizeSize)
   * @param parent folder the spill's own temporary folder is made in
   */
  constructor(
    readonly side: number,
    parent = os.tmpdir(),
  ) {
    if (!(Number.isInteger(side) && side > 0)) {
      throw new AppError('invalid_input', `CropSpill: side ${side} is not a size`, { side })
    }
    this.dir = fs.mkdtempSync(path.join(parent, `${SPILL_PREFIX}${process.pid}-`))
    this.fd = fs.openSync(path.join(this.dir, 'crops.bin'), 'w+')
    this.record = spillBytesFor(1, side)
  }

  /** Frames stored so far. */
  get frames(): number {
    return this.count
  }

  /**
   * Stores the next frame's crop: `frame` cut at `crop` (the box the tracker followed to it),
   * or the whole frame when `crop` is null.
   */
  append(frame: RgbImage, crop: CropBox | null): void {
    const whole = { x: 0, y: 0, width: frame.width, height: frame.height, angle: 0 }
    const image = applyCrop(frame, crop ?? whole, { width: this.side, height: this.side })
    fs.writeSync(this.fd, image.data, 0, image.data.length, this.count * this.record)
    this.count += 1
  }

  /** The crop stored for frame `index` (1-based), side × side RGB. */
  crop(index: number): RgbImage {
    const data = new Uint8Array(this.side * this.side * 3)
    fs.readSync(this.fd, data, 0, data.length, this.offset(index))
    return { width: this.side, height: this.side, data }
  }

  /** Closes and deletes the file. */
  dispose(): void {
    fs.closeSync(this.fd)
    fs.rmSync(this.dir, { recursive: true, force: true })
  }

  private offset(index: number): number {
    if (!(Number.isInteger(index) && index >= 1 && index <= this.count)) {
      throw new RangeError(`CropSpill: frame ${index} is not stored (1 … ${this.count})`)
    }
    return (index - 1) * this.record
  }
}
