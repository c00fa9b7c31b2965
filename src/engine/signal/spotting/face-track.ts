import type { CropBox } from '../../media/face/align'
import type { TrackBox } from './face-tracker'

/** Numbers kept per frame: x, y and angle (float64: 24 bytes). */
const PER_FRAME = 3

/**
 * The face box the tracker followed through a recording, one per decoded frame (x, y and
 * angle as float64, 24 bytes a frame; the side does not change), so every path that stores
 * a spotted clip's face crop reads it from one place whatever the recording's length.
 */
export class FaceTrack {
  private values = new Float64Array(PER_FRAME * 1024)
  private count = 0

  /** @param side the side of every box, frame pixels */
  constructor(readonly side: number) {}

  /** Frames recorded so far. */
  get frames(): number {
    return this.count
  }

  /** Records the next frame's box (its side is the track's). */
  push(box: TrackBox): void {
    if (PER_FRAME * (this.count + 1) > this.values.length) {
      const bigger = new Float64Array(this.values.length * 2)
      bigger.set(this.values)
      this.values = bigger
    }
    this.values.set([box.x, box.y, box.angle], PER_FRAME * this.count)
    this.count += 1
  }

  /** The box at decoded frame `frame` (0-based, as spotted intervals number frames). */
  boxAt(frame: number): TrackBox {
    if (!(Number.isInteger(frame) && frame >= 0 && frame < this.count)) {
      throw new RangeError(`FaceTrack: frame ${frame} is not tracked (0 … ${this.count - 1})`)
    }
    const at = PER_FRAME * frame
    const [x, y, angle] = this.values.subarray(at, at + PER_FRAME)
    return { x, y, side: this.side, angle }
  }
}

/** A tracked box as a face crop (clips.crop): the square turned by its angle. */
export function cropBoxOf(box: TrackBox): CropBox {
  return { x: box.x, y: box.y, width: box.side, height: box.side, angle: box.angle }
}
