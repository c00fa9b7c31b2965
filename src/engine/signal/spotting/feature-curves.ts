import { blockDifference, boxBlur3, topBlocks } from './block-difference'

/**
 * The per-frame curves of the spotter, one number per frame and curve (20 bytes a frame):
 * - near: feature difference of frame t against the mean of frames t − k and t + k
 *   (Moilanen et al. 2014; block-difference.ts), the curve whose contrast finds peaks;
 * - far: the same against frames t − L and t + L, L ≥ k: how far frame t is from the
 *   neutral face around an event, which gives the event's extent;
 * - net: frames t − L against t + L: a movement that comes back (a micro-expression) leaves
 *   it low, the edge of a held expression raises it;
 * - eye: the share of `near`'s largest blocks that lie in the eye row (blinks);
 * - eyeChange: for those eye blocks, near's difference over the blocks' own variance: a lid
 *   closing over the eye replaces much of the eyes' texture (order 1), a lid tightened by a
 *   muscle moves it by a pixel or two (a few hundredths).
 */
export interface FeatureCurves {
  near: Float32Array
  far: Float32Array
  net: Float32Array
  eye: Float32Array
  eyeChange: Float32Array
}

const CURVE_NAMES = ['near', 'far', 'net', 'eye', 'eyeChange'] as const

/**
 * Computes FeatureCurves from face crops pushed one frame at a time. Only the last 2L + 1
 * smoothed crops are kept (a ring), so memory is flat in the recording's length but for
 * the curves' 20 bytes per frame. Frame t is computed once frame t + L has arrived; at the
 * recording's ends the missing neighbours are the first or last frame.
 */
export class FeatureCurveBuilder {
  private readonly ring: Float32Array[]
  private readonly distances: Float32Array
  private readonly contrast: Float32Array
  private readonly order: Uint16Array
  private values: FeatureCurves
  private pushed = 0
  private computed = 0

  /**
   * @param side the crops' side; (side − 2) must divide by `grid`
   * @param topCount blocks averaged into a frame's value (topBlocks)
   */
  constructor(
    private readonly side: number,
    private readonly grid: number,
    private readonly topCount: number,
    private readonly k: number,
    private readonly extent: number,
    private readonly eyeBlocks: ReadonlySet<number>,
  ) {
    if ((side - 2) % grid !== 0) {
      throw new RangeError(`FeatureCurveBuilder: side − 2 (${side - 2}) must divide by ${grid}`)
    }
    this.ring = Array.from({ length: 2 * extent + 1 }, () => new Float32Array(side * side))
    this.distances = new Float32Array(grid * grid)
    this.contrast = new Float32Array(grid * grid)
    this.order = new Uint16Array(grid * grid)
    this.values = emptyCurves(1024)
  }

  /** Frames pushed so far. */
  get frames(): number {
    return this.pushed
  }

  /** Adds the next frame's face crop (side × side grey; smoothed into the ring). */
  push(crop: Float32Array): void {
    boxBlur3(crop, this.side, this.ring[this.pushed % this.ring.length])
    this.pushed += 1
    while (this.computed + this.extent < this.pushed) this.computeFrame(this.computed++)
  }

  /** Computes the frames still waiting for later neighbours and returns every curve. */
  finish(): FeatureCurves {
    while (this.computed < this.pushed) this.computeFrame(this.computed++)
    return mapCurves((name) => this.values[name].slice(0, this.pushed))
  }

  private crop(frame: number): Float32Array {
    const clamped = Math.min(this.pushed - 1, Math.max(0, frame))
    return this.ring[clamped % this.ring.length]
  }

  private computeFrame(t: number): void {
    if (t >= this.values.near.length) this.values = grow(this.values)
    const { k, extent, distances, contrast, order, topCount, eyeBlocks, side, grid } = this
    const current = this.crop(t)
    blockDifference(current, this.crop(t - k), this.crop(t + k), side, grid, distances, contrast)
    const near = topBlocks(distances, topCount, eyeBlocks, order, contrast)
    const before = this.crop(t - extent)
    const after = this.crop(t + extent)
    blockDifference(current, before, after, side, grid, distances)
    const far = topBlocks(distances, topCount, eyeBlocks, order).value
    blockDifference(before, after, after, side, grid, distances)
    const net = topBlocks(distances, topCount, eyeBlocks, order).value
    this.values.near[t] = near.value
    this.values.eye[t] = near.eyeShare
    this.values.eyeChange[t] = near.eyeChange
    this.values.far[t] = far
    this.values.net[t] = net
  }
}

function mapCurves(make: (name: (typeof CURVE_NAMES)[number]) => Float32Array): FeatureCurves {
  return {
    near: make('near'),
    far: make('far'),
    net: make('net'),
    eye: make('eye'),
    eyeChange: make('eyeChange'),
  }
}

function emptyCurves(length: number): FeatureCurves {
  return mapCurves(() => new Float32Array(length))
}

function grow(curves: FeatureCurves): FeatureCurves {
  const bigger = emptyCurves(curves.near.length * 2)
  for (const name of CURVE_NAMES) bigger[name].set(curves[name])
  return bigger
}
