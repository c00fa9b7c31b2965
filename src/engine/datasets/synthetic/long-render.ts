import { auField, type AuField, type SyntheticAu } from './au-motion'
import { createFaceModel, type FaceModel } from './face-model'
import { renderNeutralFace } from './face-render'
import { eventEnvelope, type LongEvent, type LongRecordingPlan } from './long-plan'
import { Rng } from './prng'

/** Sensor noise: uniform, ± this many grey levels. */
const NOISE = 2
/** Seconds between the knots of the head's drift path. */
const DRIFT_KNOT_SECONDS = 1
/** Drift per knot (random walk step), as a fraction of the face's side. */
const DRIFT_STEP = 0.005
/** The drift never takes the head further than this fraction of its side from the centre. */
const DRIFT_LIMIT = 0.04
/** Head roll per knot (random walk step), in degrees. */
const ROLL_STEP = 1
/** The head never rolls further than this many degrees from upright. */
const ROLL_LIMIT = 4

/** Where the head is at a frame, relative to the start: shifted, then rolled about its centre. */
export interface HeadPose {
  /** Shift of the face square in pixels. */
  dx: number
  dy: number
  /** Roll in degrees, clockwise on screen (the CropBox angle that levels the eyes again). */
  roll: number
}

/** Where the face sits in the frame: a square, and the height of its eye line (0–1 of the side). */
export interface PlacedFace {
  x: number
  y: number
  side: number
  eyeLevel: number
}

/**
 * Renders the frames of a planned long recording as 8-bit grey: one procedural face (the
 * synthetic generator's model) centred in the frame, moved by the events' AU motion fields
 * and a blink field, drifting and rolling slowly with the head, with sensor noise. Frames are rendered
 * one at a time into a caller's buffer, so memory does not depend on the recording's length.
 */
export class LongRecordingRenderer {
  readonly face: PlacedFace
  private readonly neutral: Float32Array
  private readonly fields = new Map<SyntheticAu | 'blink', AuField>()
  private readonly knots: HeadPose[]
  private readonly dx: Float32Array
  private readonly dy: Float32Array
  private readonly shade: Float32Array
  private noise: number

  constructor(private readonly plan: LongRecordingPlan) {
    const { width, height, seed, fps, frames } = plan
    const model = createFaceModel(Rng.from(seed, 'long-recording', 'face'))
    const side = Math.floor(Math.min(width, height) * 0.85)
    this.face = {
      x: Math.floor((width - side) / 2),
      y: Math.floor((height - side) / 2),
      side,
      eyeLevel: model.eyeY,
    }
    this.neutral = toGrey(renderNeutralFace(model, side))
    for (const event of plan.events) {
      for (const { au } of event.aus)
        if (!this.fields.has(au)) this.fields.set(au, auField(model, au, side))
    }
    this.fields.set('blink', blinkField(model, side))
    this.knots = headKnots(seed, frames / fps, side)
    this.dx = new Float32Array(side * side)
    this.dy = new Float32Array(side * side)
    this.shade = new Float32Array(side * side)
    this.noise = (Rng.from(seed, 'long-recording', 'noise').int(1, 0x7fffffff) | 1) >>> 0
  }

  /** Renders frame `frame` (0-based) into `out` (width × height bytes). */
  render(frame: number, out: Uint8Array): void {
    const active = this.plan.events.filter((e) => frame > e.onset && frame < e.offset)
    this.dx.fill(0)
    this.dy.fill(0)
    this.shade.fill(0)
    for (const event of active) this.addEvent(event, eventEnvelope(event, frame))
    this.warp(this.headPose(frame), out)
  }

  private addEvent(event: LongEvent, envelope: number): void {
    const scale = this.face.side / 160
    const parts: { field: AuField; strength: number }[] =
      event.kind === 'blink'
        ? [{ field: this.fields.get('blink')!, strength: 1 }]
        : event.aus.map(({ au, strength }) => ({ field: this.fields.get(au)!, strength }))
    const side = this.face.side
    for (const { field, strength } of parts) {
      const w = envelope * strength
      const { x0, y0, x1, y1 } = field.extent
      for (let y = y0; y < y1; y++) {
        for (let p = y * side + x0; p < y * side + x1; p++) {
          this.dx[p] += field.dx[p] * w * scale
          this.dy[p] += field.dy[p] * w * scale
          this.shade[p] += field.shade[p] * w
        }
      }
    }
  }

  /**
   * Where the head is at frame `frame` (0-based) relative to the start: smoothstep between
   * knots one DRIFT_KNOT_SECONDS apart (a random walk each of shift and roll, seeded).
   */
  headPose(frame: number): HeadPose {
    const t = frame / this.plan.fps / DRIFT_KNOT_SECONDS
    const k = Math.min(Math.floor(t), this.knots.length - 2)
    const f = Math.min(1, t - k)
    const s = f * f * (3 - 2 * f)
    const a = this.knots[k]
    const b = this.knots[k + 1]
    const at = (key: keyof HeadPose) => a[key] + (b[key] - a[key]) * s
    return { dx: at('dx'), dy: at('dy'), roll: at('roll') }
  }

  /**
   * Backward warp of the neutral face into the frame, clamped at the face square's edges: a
   * frame pixel at p from the moved square's centre shows the face at R(−roll)·p from its own.
   */
  private warp(pose: HeadPose, out: Uint8Array): void {
    const { width, height } = this.plan
    const { x: fx, y: fy, side } = this.face
    const max = side - 1
    const centre = max / 2
    const cos = Math.cos((pose.roll * Math.PI) / 180)
    const sin = Math.sin((pose.roll * Math.PI) / 180)
    let noise = this.noise
    for (let y = 0; y < height; y++) {
      const ry = y - fy - pose.dy - centre
      for (let x = 0; x < width; x++) {
        const rx = x - fx - pose.dx - centre
        let u = cos * rx + sin * ry + centre
        let v = -sin * rx + cos * ry + centre
        u = u < 0 ? 0 : u > max ? max : u
        v = v < 0 ? 0 : v > max ? max : v
        const q = Math.round(v) * side + Math.round(u)
        const sx = Math.min(max, Math.max(0, u - this.dx[q]))
        const sy = Math.min(max, Math.max(0, v - this.dy[q]))
        const x0 = Math.floor(sx)
        const y0 = Math.floor(sy)
        const ax = sx - x0
        const ay = sy - y0
        const p = y0 * side + x0
        const right = x0 < max ? 1 : 0
        const down = y0 < max ? side : 0
        const top = this.neutral[p] + (this.neutral[p + right] - this.neutral[p]) * ax
        const bottom =
          this.neutral[p + down] + (this.neutral[p + down + right] - this.neutral[p + down]) * ax
        noise ^= noise << 13
        noise ^= noise >>> 17
        noise ^= noise << 5
        const value =
          (top + (bottom - top) * ay) * (1 + this.shade[q]) + (noise / 2147483648) * NOISE
        out[y * width + x] = value <= 0 ? 0 : value >= 255 ? 255 : (value + 0.5) | 0
      }
    }
    this.noise = noise
  }
}

/** Rec. 601 luma of an RGB float image. */
function toGrey(rgb: Float32Array): Float32Array {
  const grey = new Float32Array(rgb.length / 3)
  for (let i = 0; i < grey.length; i++) {
    grey[i] = 0.299 * rgb[i * 3] + 0.587 * rgb[i * 3 + 1] + 0.114 * rgb[i * 3 + 2]
  }
  return grey
}

/**
 * The head's knots, one per DRIFT_KNOT_SECONDS from the upright start: a random walk of its
 * shift (kept within DRIFT_LIMIT of the side) and, from a stream of its own so the shift is
 * the same as without it, of its roll (kept within ROLL_LIMIT degrees).
 */
function headKnots(seed: number, seconds: number, side: number): HeadPose[] {
  const drift = Rng.from(seed, 'long-recording', 'drift')
  const roll = Rng.from(seed, 'long-recording', 'roll')
  const count = Math.ceil(seconds / DRIFT_KNOT_SECONDS) + 2
  const limit = DRIFT_LIMIT * side
  const clamp = (value: number, bound: number) => Math.max(-bound, Math.min(bound, value))
  const knots: HeadPose[] = [{ dx: 0, dy: 0, roll: 0 }]
  for (let i = 1; i < count; i++) {
    const last = knots[i - 1]
    const dx = clamp(last.dx + drift.normal(DRIFT_STEP * side), limit)
    const dy = clamp(last.dy + drift.normal(DRIFT_STEP * side), limit)
    knots.push({ dx, dy, roll: clamp(last.roll + roll.normal(ROLL_STEP), ROLL_LIMIT) })
  }
  return knots
}

/**
 * A blink: both upper lids come down over the eyes (skin moved down into the eye) and the
 * eye opening brightens to the lid's skin; nothing outside the eyes moves.
 */
function blinkField(face: FaceModel, side: number): AuField {
  const n = side * side
  const field: AuField = {
    au: 1,
    dx: new Float32Array(n),
    dy: new Float32Array(n),
    shade: new Float32Array(n),
    extent: { x0: side, y0: side, x1: 0, y1: 0 },
    regions: [],
  }
  for (const cx of [face.cx - face.eyeDx, face.cx + face.eyeDx]) {
    const rx = face.eyeRx * 1.3
    const ry = face.eyeRy * 2
    const x0 = Math.max(0, Math.floor((cx - rx) * side))
    const x1 = Math.min(side, Math.ceil((cx + rx) * side))
    const y0 = Math.max(0, Math.floor((face.eyeY - ry) * side))
    const y1 = Math.min(side, Math.ceil((face.eyeY + ry) * side))
    const e = field.extent
    ;[e.x0, e.y0, e.x1, e.y1] = [
      Math.min(e.x0, x0),
      Math.min(e.y0, y0),
      Math.max(e.x1, x1),
      Math.max(e.y1, y1),
    ]
    for (let y = y0; y < y1; y++) {
      for (let x = x0; x < x1; x++) {
        const nx = ((x + 0.5) / side - cx) / rx
        const ny = ((y + 0.5) / side - face.eyeY) / ry
        const d2 = nx * nx + ny * ny
        if (d2 >= 1) continue
        const w = (1 - d2) * (1 - d2)
        field.dy[y * side + x] += 4 * w
        field.shade[y * side + x] += 0.35 * w
      }
    }
  }
  return field
}
