import { euclideanStep } from './euclidean-step'

/**
 * Follows the face through a video and cuts a stabilised square crop of it from each grey
 * frame. The crop is the face box (turned so the eyes are level in the first frame) moved by
 * a Euclidean warp, a translation and a roll about the box's centre, estimated per frame by
 * Lucas–Kanade (Lucas & Kanade 1981; forward compositional Gauss–Newton, Baker & Matthews,
 * "Lucas-Kanade 20 years on", IJCV 2004) against the first frame's crop, starting from the
 * previous frame's estimate. So a drifting or tilting head gives the same crop with the eyes
 * level, and only the face's own motion is left for spotting; a 1-px muscle motion is not
 * drowned by a 5-px head drift or a 3° roll.
 */

/** A square face box in frame pixels: top-left corner, side, turn in degrees (clockwise). */
export interface TrackBox {
  x: number
  y: number
  side: number
  angle: number
}

/** A grey frame as the tracker reads it. */
export interface GreyFrame {
  width: number
  height: number
  data: Uint8Array
}

/** Gauss–Newton steps per frame; more rarely changes the estimate by 0.01 px. */
const ITERATIONS = 3

/** Tracks one face and writes its crop, `size` × `size` grey floats, per frame. */
export class FaceTracker {
  /** Current translation of the box in frame pixels. */
  readonly shift = { x: 0, y: 0 }
  readonly crop: Float32Array
  private reference: Float32Array | null = null
  /** Current turn of the box in radians: the start box's angle plus the tracked roll. */
  private turn: number
  private readonly step: number

  constructor(
    private readonly box: TrackBox,
    readonly size: number,
  ) {
    this.crop = new Float32Array(size * size)
    this.step = box.side / size
    this.turn = (box.angle * Math.PI) / 180
  }

  /** The head's roll since the first frame, in degrees (clockwise). */
  get roll(): number {
    return (this.turn * 180) / Math.PI - this.box.angle
  }

  /** The box as tracked to the last frame (frame pixels): shifted, turned by the roll. */
  get current(): TrackBox {
    const { x, y, side } = this.box
    const angle = (this.turn * 180) / Math.PI
    return { x: x + this.shift.x, y: y + this.shift.y, side, angle }
  }

  /** Tracks the face into `frame` and returns its stabilised crop (reused between calls). */
  next(frame: GreyFrame): Float32Array {
    if (this.reference === null) {
      this.sample(frame)
      this.reference = Float32Array.from(this.crop)
      return this.crop
    }
    for (let i = 0; i < ITERATIONS; i++) {
      this.sample(frame)
      const [du, dv, dTurn] = euclideanStep(this.crop, this.reference, this.size)
      // Composing the step (crop units) after the warp: the shift turns and scales into frame
      // pixels through the warp's current turn, the rolls add.
      const cos = Math.cos(this.turn)
      const sin = Math.sin(this.turn)
      this.shift.x += (cos * du - sin * dv) * this.step
      this.shift.y += (sin * du + cos * dv) * this.step
      this.turn += dTurn
    }
    this.sample(frame)
    return this.crop
  }

  /** Bilinear samples of the turned, shifted box at crop-pixel centres; clamped at the edges. */
  private sample(frame: GreyFrame): void {
    const { width, height, data } = frame
    const { size, step, box } = this
    const cos = Math.cos(this.turn)
    const sin = Math.sin(this.turn)
    const cx = box.x + box.side / 2 + this.shift.x
    const cy = box.y + box.side / 2 + this.shift.y
    for (let v = 0; v < size; v++) {
      const ov = (v + 0.5) * step - box.side / 2
      for (let u = 0; u < size; u++) {
        const ou = (u + 0.5) * step - box.side / 2
        let x = cx + cos * ou - sin * ov - 0.5
        let y = cy + sin * ou + cos * ov - 0.5
        x = x < 0 ? 0 : x > width - 1 ? width - 1 : x
        y = y < 0 ? 0 : y > height - 1 ? height - 1 : y
        const x0 = Math.min(Math.floor(x), width - 2 < 0 ? 0 : width - 2)
        const y0 = Math.min(Math.floor(y), height - 2 < 0 ? 0 : height - 2)
        const fx = x - x0
        const fy = y - y0
        const p = y0 * width + x0
        const top = data[p] + (data[p + 1] - data[p]) * fx
        const bottom = data[p + width] + (data[p + width + 1] - data[p + width]) * fx
        this.crop[v * size + u] = top + (bottom - top) * fy
      }
    }
  }
}
