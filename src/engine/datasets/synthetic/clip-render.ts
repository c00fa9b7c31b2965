import type { AuField, SyntheticAu } from './au-motion'
import type { SyntheticClipPlan } from './clip-plan'
import type { Rng } from './prng'

/** Sensor noise: uniform, ± this many grey levels per channel (sd ≈ 1.2). */
const NOISE = 2
/** Head motion: standard deviation of the drift, in pixels at 160 px. */
const HEAD_MOTION = 0.12
/** Frames between the knots of the head-motion path. */
const HEAD_KNOT_SPACING = 8

/** How strongly the AUs act at a frame: 0 outside [onset, offset], a smooth rise and fall, 1 at the apex. */
export function envelope(plan: SyntheticClipPlan, index: number): number {
  const { onsetIndex, apexIndex, offsetIndex } = plan
  if (index <= onsetIndex || index >= offsetIndex) return 0
  const s =
    index <= apexIndex
      ? (index - onsetIndex) / (apexIndex - onsetIndex)
      : (offsetIndex - index) / (offsetIndex - apexIndex)
  return s * s * (3 - 2 * s)
}

/**
 * Renders the frames of one clip and hands each to `emit` as 8-bit RGB (the buffer is reused:
 * copy or encode it before returning). Each frame is the neutral face warped by the AUs'
 * motion fields scaled by the envelope (one-sided AUs only on their side: R is the subject's
 * right, the left of the image), shaded, shifted by a slow head drift, and noised.
 */
export function renderClip(
  neutral: Float32Array,
  fields: ReadonlyMap<SyntheticAu, AuField>,
  faceCentreX: number,
  plan: SyntheticClipPlan,
  size: number,
  rng: Rng,
  emit: (index: number, rgb: Uint8Array) => void,
): void {
  const pixelScale = size / 160
  const knots = Array.from({ length: Math.ceil(plan.frameCount / HEAD_KNOT_SPACING) + 2 }, () => [
    rng.normal(HEAD_MOTION * pixelScale),
    rng.normal(HEAD_MOTION * pixelScale),
  ])
  const active = plan.aus.map((a) => ({
    field: fields.get(a.au)!,
    mask: sideMask(a.side, faceCentreX * size, size),
    strength: a.strength,
  }))
  const n = size * size
  const dx = new Float32Array(n)
  const dy = new Float32Array(n)
  const shade = new Float32Array(n)
  const rgb = new Uint8Array(n * 3)
  // sensor noise from a local xorshift stream, seeded from the clip's stream
  let noise = Math.floor(rng.next() * 4294967295) | 1
  for (let i = 0; i < plan.frameCount; i++) {
    const e = envelope(plan, i)
    dx.fill(0)
    dy.fill(0)
    shade.fill(0)
    for (const { field, mask, strength } of active) {
      if (e === 0) break
      const { x0, y0, x1, y1 } = field.extent
      for (let y = y0; y < y1; y++) {
        for (let x = x0; x < x1; x++) {
          const w = e * strength * mask[x]
          const p = y * size + x
          dx[p] += field.dx[p] * w * pixelScale
          dy[p] += field.dy[p] * w * pixelScale
          shade[p] += field.shade[p] * w
        }
      }
    }
    const [tx, ty] = headOffset(knots, i)
    noise = warpFrame(neutral, size, dx, dy, shade, tx, ty, 1 + rng.normal(0.002), noise, rgb)
    emit(i, rgb)
  }
}

/**
 * One frame: the neutral face sampled (bilinear) where the motion field says each pixel's
 * content came from, shaded, with uniform noise from an xorshift32 state; returns the state.
 */
function warpFrame(
  neutral: Float32Array,
  size: number,
  dx: Float32Array,
  dy: Float32Array,
  shade: Float32Array,
  tx: number,
  ty: number,
  flicker: number,
  noiseState: number,
  rgb: Uint8Array,
): number {
  const max = size - 1
  let noise = noiseState
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const p = y * size + x
      // backward warp: the content that moved here came from (x - dx, y - dy)
      let sx = x - dx[p] - tx
      let sy = y - dy[p] - ty
      sx = sx < 0 ? 0 : sx > max ? max : sx
      sy = sy < 0 ? 0 : sy > max ? max : sy
      const x0 = Math.floor(sx)
      const y0 = Math.floor(sy)
      const fx = sx - x0
      const fy = sy - y0
      const p00 = (y0 * size + x0) * 3
      const p01 = x0 < max ? p00 + 3 : p00
      const p10 = y0 < max ? p00 + size * 3 : p00
      const p11 = x0 < max ? p10 + 3 : p10
      const gain = flicker * (1 + shade[p])
      for (let c = 0; c < 3; c++) {
        const top = neutral[p00 + c] + (neutral[p01 + c] - neutral[p00 + c]) * fx
        const bottom = neutral[p10 + c] + (neutral[p11 + c] - neutral[p10 + c]) * fx
        noise ^= noise << 13
        noise ^= noise >>> 17
        noise ^= noise << 5
        const value = (top + (bottom - top) * fy) * gain + (noise / 2147483648) * NOISE
        rgb[p * 3 + c] = value <= 0 ? 0 : value >= 255 ? 255 : (value + 0.5) | 0
      }
    }
  }
  return noise
}

function sideMask(side: 'L' | 'R' | 'T' | 'B' | null, centre: number, size: number): Float32Array {
  const mask = new Float32Array(size).fill(1)
  if (side !== 'L' && side !== 'R') return mask
  const ramp = Math.max(2, size / 40)
  for (let x = 0; x < size; x++) {
    // image left (x < centre) is the subject's right
    const right = Math.min(1, Math.max(0, (centre - x) / (2 * ramp) + 0.5))
    mask[x] = side === 'R' ? right : 1 - right
  }
  return mask
}

/** Head drift at a frame: smooth (cubic) interpolation between random knots. */
function headOffset(knots: number[][], index: number): [number, number] {
  const t = index / HEAD_KNOT_SPACING
  const k = Math.floor(t)
  const f = t - k
  const s = f * f * (3 - 2 * f)
  const a = knots[k]
  const b = knots[k + 1]
  return [a[0] + (b[0] - a[0]) * s, a[1] + (b[1] - a[1]) * s]
}
