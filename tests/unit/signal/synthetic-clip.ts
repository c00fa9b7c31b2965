/**
 * Deterministic synthetic face clips for the signal tests and benchmark: a smooth textured
 * face (skin texture from random sinusoids, dark eyes, brows and mouth) rendered from a
 * continuous function, so a region can be displaced by sub-pixel amounts.
 */
import type { Clip } from '../../../src/engine/signal'

/** A disc of the face that moves upwards (a brow raise) by `motion(t)` pixels at its centre. */
export interface MovingRegion {
  x: number
  y: number
  radius: number
}

/** Options of {@link syntheticClip}. */
export interface SyntheticClipOptions {
  width: number
  height: number
  frames: number
  channels?: 1 | 3
  seed?: number
  region: MovingRegion
  /** Upward displacement of the region centre at frame t, in pixels. */
  motion: (t: number) => number
  /** Standard deviation of per-pixel Gaussian noise. */
  noise?: number
}

/** Mulberry32: a small seeded PRNG returning numbers in [0, 1). */
export function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Standard normal samples from a uniform PRNG (Box-Muller, both outputs of a pair used). */
function gaussian(next: () => number): () => number {
  let spare = NaN
  return () => {
    if (!Number.isNaN(spare)) {
      const value = spare
      spare = NaN
      return value
    }
    const radius = Math.sqrt(-2 * Math.log(1 - next()))
    const angle = 2 * Math.PI * next()
    spare = radius * Math.sin(angle)
    return radius * Math.cos(angle)
  }
}

/** Builds the continuous face image: (x, y) in pixels → brightness around 0.5. */
function faceFunction(
  width: number,
  height: number,
  seed: number,
): (x: number, y: number) => number {
  const next = random(seed)
  const waves = Array.from({ length: 10 }, () => {
    const period = 2.5 + 10 * next()
    const angle = Math.PI * next()
    const k = (2 * Math.PI) / period
    return { kx: k * Math.cos(angle), ky: k * Math.sin(angle), phase: 2 * Math.PI * next() }
  })
  const blob = (x: number, y: number, cx: number, cy: number, rx: number, ry: number): number => {
    const d = ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2
    return Math.exp(-d * d)
  }
  const w = width
  const h = height
  return (x, y) => {
    let texture = 0
    for (const v of waves) texture += Math.sin(v.kx * x + v.ky * y + v.phase)
    const features =
      blob(x, y, 0.3 * w, 0.4 * h, 0.09 * w, 0.05 * h) +
      blob(x, y, 0.7 * w, 0.4 * h, 0.09 * w, 0.05 * h) +
      blob(x, y, 0.3 * w, 0.28 * h, 0.12 * w, 0.025 * h) +
      blob(x, y, 0.7 * w, 0.28 * h, 0.12 * w, 0.025 * h) +
      blob(x, y, 0.5 * w, 0.75 * h, 0.16 * w, 0.04 * h)
    return 0.55 + 0.035 * texture - 0.3 * features
  }
}

/**
 * Renders a synthetic clip. Pixel (x, y) of frame t samples the face at (x, y + d), where d
 * is motion(t) times a smooth bump (1 − r²/R²)² around the region centre, 0 outside it.
 */
export function syntheticClip(options: SyntheticClipOptions): Clip {
  const { width, height, region, motion } = options
  const channels = options.channels ?? 3
  const seed = options.seed ?? 1
  const face = faceFunction(width, height, seed)
  const noise = gaussian(random(seed + 1))
  const sigma = options.noise ?? 0
  const tint = channels === 3 ? [1, 0.8, 0.65] : [1]
  const still = new Float64Array(width * height)
  const bump = new Float64Array(width * height)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const r2 = ((x - region.x) ** 2 + (y - region.y) ** 2) / region.radius ** 2
      bump[y * width + x] = r2 < 1 ? (1 - r2) ** 2 : 0
      still[y * width + x] = face(x, y)
    }
  }
  const frames: Float32Array[] = []
  for (let t = 0; t < options.frames; t++) {
    const shift = motion(t)
    const frame = new Float32Array(width * height * channels)
    for (let p = 0; p < width * height; p++) {
      const v =
        bump[p] === 0 || shift === 0
          ? still[p]
          : face(p % width, Math.floor(p / width) + shift * bump[p])
      for (let c = 0; c < channels; c++) {
        const value = v * tint[c] + (sigma > 0 ? sigma * noise() : 0)
        frame[p * channels + c] = Math.min(1, Math.max(0, value))
      }
    }
    frames.push(frame)
  }
  return { width, height, frames }
}
