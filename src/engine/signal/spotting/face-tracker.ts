/**
 * Follows the face through a video and cuts a stabilised square crop of it from each grey
 * frame. The crop is the face box (possibly turned to align the eyes) moved by a translation
 * that is estimated per frame by Lucas–Kanade (Lucas & Kanade 1981; one global translation,
 * Gauss–Newton iterations) against the first frame's crop, starting from the previous frame's
 * estimate. So a drifting head gives the same crop, and only the face's own motion is left for
 * spotting; a 1-px muscle motion is not drowned by a 5-px head drift.
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
/** Crop pixels left out at the edge, where the gradient needs neighbours. */
const MARGIN = 2

/** Tracks one face and writes its crop, `size` × `size` grey floats, per frame. */
export class FaceTracker {
  /** Current translation of the box in frame pixels. */
  readonly shift = { x: 0, y: 0 }
  readonly crop: Float32Array
  private reference: Float32Array | null = null
  private readonly cos: number
  private readonly sin: number
  private readonly step: number

  constructor(
    private readonly box: TrackBox,
    readonly size: number,
  ) {
    this.crop = new Float32Array(size * size)
    this.step = box.side / size
    this.cos = Math.cos((box.angle * Math.PI) / 180)
    this.sin = Math.sin((box.angle * Math.PI) / 180)
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
      const [du, dv] = this.translationStep(this.reference)
      // crop units → frame pixels, through the box's turn and scale
      this.shift.x += (this.cos * du - this.sin * dv) * this.step
      this.shift.y += (this.sin * du + this.cos * dv) * this.step
    }
    this.sample(frame)
    return this.crop
  }

  /** Bilinear samples of the turned, shifted box at crop-pixel centres; clamped at the edges. */
  private sample(frame: GreyFrame): void {
    const { width, height, data } = frame
    const { size, step, cos, sin, box } = this
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

  /**
   * One Gauss–Newton step: the translation (du, dv) in crop pixels that brings the crop onto
   * the reference: crop(u + d) ≈ crop(u) + g·d = ref(u), so in least squares
   * [Σgx² Σgxgy; Σgxgy Σgy²]·d = −[Σgx·e; Σgy·e] with e = crop − ref.
   */
  private translationStep(reference: Float32Array): [number, number] {
    const { size, crop } = this
    let sxx = 0
    let sxy = 0
    let syy = 0
    let bx = 0
    let by = 0
    for (let v = MARGIN; v < size - MARGIN; v++) {
      for (let u = MARGIN; u < size - MARGIN; u++) {
        const p = v * size + u
        const gx = (crop[p + 1] - crop[p - 1]) / 2
        const gy = (crop[p + size] - crop[p - size]) / 2
        const e = crop[p] - reference[p]
        sxx += gx * gx
        sxy += gx * gy
        syy += gy * gy
        bx += gx * e
        by += gy * e
      }
    }
    const det = sxx * syy - sxy * sxy
    if (!(det > 1e-9)) return [0, 0]
    // Content at crop u + d matches the reference at u: move the box by d.
    return [-(syy * bx - sxy * by) / det, -(sxx * by - sxy * bx) / det]
  }
}
