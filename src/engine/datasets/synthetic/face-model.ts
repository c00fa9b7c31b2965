import type { Rng } from './prng'

/** An RGB colour, 0–255 per channel. */
export type Rgb = readonly [number, number, number]

/**
 * The look of one synthetic subject. Positions and sizes are in image units (0–1 across
 * the frame, y down), so one model renders at any size.
 */
export interface FaceModel {
  /** Face oval: centre and radii. */
  cx: number
  cy: number
  rx: number
  ry: number
  /** Height of the hairline at the centre of the face. */
  hairline: number
  skin: Rgb
  hair: Rgb
  brow: Rgb
  iris: Rgb
  lip: Rgb
  backgroundTop: Rgb
  backgroundBottom: Rgb
  browY: number
  /** Distance from the face centre line to the inner and outer ends of each brow. */
  browInner: number
  browOuter: number
  browThickness: number
  browArch: number
  eyeY: number
  /** Distance from the centre line to each eye centre. */
  eyeDx: number
  eyeRx: number
  eyeRy: number
  noseY: number
  noseWidth: number
  mouthY: number
  /** Half the mouth width. */
  mouthHalfWidth: number
  upperLip: number
  lowerLip: number
  chinY: number
  /** Skin and hair texture: two octaves of value noise (lattice values in [-1, 1]). */
  textureFine: Float32Array
  textureCoarse: Float32Array
}

/** Lattice size of the texture noise (per image width). */
export const TEXTURE_FINE = 72
/** Lattice size of the coarse texture noise. */
export const TEXTURE_COARSE = 20

const SKIN_LIGHT: Rgb = [238, 203, 178]
const SKIN_DARK: Rgb = [118, 80, 58]
const HAIR: readonly Rgb[] = [
  [28, 22, 19],
  [58, 40, 26],
  [104, 72, 42],
  [186, 152, 98],
  [22, 21, 24],
  [120, 60, 35],
]
const IRIS: readonly Rgb[] = [
  [72, 46, 26],
  [52, 82, 112],
  [78, 98, 62],
  [42, 31, 22],
  [96, 110, 120],
]

/** Draws a distinct face: proportions, colours and skin texture all from the stream. */
export function createFaceModel(rng: Rng): FaceModel {
  const cx = 0.5 + rng.normal(0.008)
  const cy = 0.53 + rng.normal(0.008)
  const rx = rng.range(0.3, 0.35)
  const ry = rng.range(0.4, 0.44)
  const eyeY = cy - ry * rng.range(0.17, 0.23)
  const eyeDx = rx * rng.range(0.4, 0.46)
  const eyeRx = rng.range(0.055, 0.066)
  const tone = rng.next()
  const skin = jitter(mix(SKIN_LIGHT, SKIN_DARK, tone), rng, 8)
  const hair = rng.pick(HAIR)
  const bgTop = jitter([120, 128, 138], rng, 30)
  return {
    cx,
    cy,
    rx,
    ry,
    hairline: cy - ry * rng.range(0.62, 0.74),
    skin,
    hair,
    brow: mix(hair, [20, 16, 14], 0.3),
    iris: rng.pick(IRIS),
    lip: [clamp255(skin[0] * 0.86 + 22), clamp255(skin[1] * 0.6), clamp255(skin[2] * 0.62)],
    backgroundTop: bgTop,
    backgroundBottom: mix(bgTop, [40, 42, 48], 0.45),
    browY: eyeY - rng.range(0.065, 0.082),
    browInner: rng.range(0.045, 0.065),
    browOuter: eyeDx + rng.range(0.065, 0.085),
    browThickness: rng.range(0.018, 0.03),
    browArch: rng.range(0.006, 0.02),
    eyeY,
    eyeDx,
    eyeRx,
    eyeRy: eyeRx * rng.range(0.38, 0.48),
    noseY: cy + ry * rng.range(0.12, 0.2),
    noseWidth: rng.range(0.06, 0.085),
    mouthY: cy + ry * rng.range(0.42, 0.5),
    mouthHalfWidth: rng.range(0.085, 0.112),
    upperLip: rng.range(0.014, 0.021),
    lowerLip: rng.range(0.02, 0.029),
    chinY: cy + ry * rng.range(0.78, 0.86),
    textureFine: lattice(rng, TEXTURE_FINE),
    textureCoarse: lattice(rng, TEXTURE_COARSE),
  }
}

function lattice(rng: Rng, n: number): Float32Array {
  const values = new Float32Array((n + 1) * (n + 1))
  for (let i = 0; i < values.length; i++) values[i] = rng.next() * 2 - 1
  return values
}

/** Smoothly interpolated lattice noise at (u, v) in [0, 1]², in [-1, 1]. */
export function valueNoise(values: Float32Array, n: number, u: number, v: number): number {
  const x = Math.min(Math.max(u, 0), 0.999999) * n
  const y = Math.min(Math.max(v, 0), 0.999999) * n
  const ix = Math.floor(x)
  const iy = Math.floor(y)
  const fx = x - ix
  const fy = y - iy
  const sx = fx * fx * (3 - 2 * fx)
  const sy = fy * fy * (3 - 2 * fy)
  const row = n + 1
  const a = values[iy * row + ix]
  const b = values[iy * row + ix + 1]
  const c = values[(iy + 1) * row + ix]
  const d = values[(iy + 1) * row + ix + 1]
  return a + (b - a) * sx + (c - a) * sy + (a - b - c + d) * sx * sy
}

/** Linear mix of two colours. */
function mix(a: Rgb, b: Rgb, t: number): Rgb {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t]
}

function jitter(c: Rgb, rng: Rng, amount: number): Rgb {
  return [
    clamp255(c[0] + rng.normal(amount / 2)),
    clamp255(c[1] + rng.normal(amount / 2)),
    clamp255(c[2] + rng.normal(amount / 2)),
  ]
}

function clamp255(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : v
}
