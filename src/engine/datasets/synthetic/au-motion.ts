import type { FaceModel } from './face-model'

/** The AUs the generator can animate. */
export const SYNTHETIC_AUS = [1, 2, 4, 6, 7, 9, 10, 12, 14, 15, 17, 25] as const

/** One animatable AU. */
export type SyntheticAu = (typeof SYNTHETIC_AUS)[number]

/**
 * A point of the face an AU pulls: within `radius` of (x, y) the skin moves by (dx, dy)
 * (in units of the AU's amplitude), fading smoothly to nothing at the radius.
 */
interface Handle {
  x: number
  y: number
  radius: number
  dx: number
  dy: number
}

/** A patch an AU darkens (negative) or brightens: a furrow, a dimple, the mouth opening. */
interface Shade {
  x: number
  y: number
  rx: number
  ry: number
  amount: number
}

interface AuShape {
  handles: Handle[]
  shades: Shade[]
}

/** Both sides of the face: the handle given for the right side of the image, and its mirror. */
function mirrored(
  f: FaceModel,
  offset: number,
  y: number,
  radius: number,
  dxOut: number,
  dy: number,
): Handle[] {
  return [
    { x: f.cx + offset, y, radius, dx: dxOut, dy },
    { x: f.cx - offset, y, radius, dx: -dxOut, dy },
  ]
}

function mirroredShade(
  f: FaceModel,
  offset: number,
  y: number,
  rx: number,
  ry: number,
  amount: number,
): Shade[] {
  return [
    { x: f.cx + offset, y, rx, ry, amount },
    { x: f.cx - offset, y, rx, ry, amount },
  ]
}

/**
 * How each AU moves this face (FACS appearance changes, much simplified): brows up, down
 * and together, lids tightened, cheeks raised, nose wrinkled, lip corners pulled, dimpled or
 * depressed, chin raised, lips parted.
 */
function auShape(f: FaceModel, au: SyntheticAu): AuShape {
  const browMid = (f.browInner + f.browOuter) / 2
  const mw = f.mouthHalfWidth
  switch (au) {
    case 1: // inner brow raiser
      return { handles: mirrored(f, f.browInner + 0.02, f.browY, 0.055, 0.1, -1), shades: [] }
    case 2: // outer brow raiser
      return {
        handles: mirrored(f, f.browOuter - 0.025, f.browY + 0.005, 0.055, 0, -1),
        shades: [],
      }
    case 4: // brow lowerer: down and together, with a vertical furrow between the brows
      return {
        handles: mirrored(f, browMid - 0.02, f.browY, 0.065, -0.45, 0.85),
        shades: mirroredShade(f, 0.012, f.browY + 0.012, 0.006, 0.022, -0.16),
      }
    case 6: // cheek raiser: cheeks and lower lids up, crow's feet
      return {
        handles: [
          ...mirrored(f, f.eyeDx, f.eyeY + 0.085, 0.06, 0, -0.85),
          ...mirrored(f, f.eyeDx, f.eyeY + f.eyeRy, 0.03, 0, -0.5),
        ],
        shades: mirroredShade(f, f.eyeDx + f.eyeRx + 0.02, f.eyeY + 0.005, 0.012, 0.018, -0.1),
      }
    case 7: // lid tightener: lower lids up, upper lids a little down
      return {
        handles: [
          ...mirrored(f, f.eyeDx, f.eyeY + f.eyeRy * 0.9, 0.032, 0, -0.9),
          ...mirrored(f, f.eyeDx, f.eyeY - f.eyeRy, 0.028, 0, 0.35),
        ],
        shades: [],
      }
    case 9: // nose wrinkler: nose sides up, wrinkles on the bridge
      return {
        handles: mirrored(f, f.noseWidth * 0.45, f.noseY - 0.025, 0.04, 0, -0.9),
        shades: [{ x: f.cx, y: f.eyeY + 0.035, rx: 0.022, ry: 0.012, amount: -0.12 }],
      }
    case 10: // upper lip raiser
      return {
        handles: mirrored(f, 0.03, f.mouthY - f.upperLip, 0.045, 0, -1),
        shades: [],
      }
    case 12: // lip corner puller: corners up and out, nasolabial furrows deepened
      return {
        handles: [
          ...mirrored(f, mw, f.mouthY, 0.045, 0.7, -0.8),
          ...mirrored(f, mw + 0.04, f.mouthY - 0.05, 0.05, 0.2, -0.4),
        ],
        shades: mirroredShade(f, mw + 0.026, f.mouthY - 0.005, 0.012, 0.03, -0.12),
      }
    case 14: // dimpler: corners pulled in, dimples
      return {
        handles: mirrored(f, mw, f.mouthY, 0.04, -0.75, 0.1),
        shades: mirroredShade(f, mw + 0.022, f.mouthY + 0.004, 0.008, 0.012, -0.18),
      }
    case 15: // lip corner depressor
      return { handles: mirrored(f, mw, f.mouthY + 0.004, 0.04, 0.1, 1), shades: [] }
    case 17: // chin raiser: chin boss and lower lip up
      return {
        handles: [
          { x: f.cx, y: f.chinY - 0.035, radius: 0.065, dx: 0, dy: -1 },
          { x: f.cx, y: f.mouthY + f.lowerLip, radius: 0.04, dx: 0, dy: -0.55 },
        ],
        shades: [{ x: f.cx, y: f.chinY - 0.03, rx: 0.035, ry: 0.02, amount: -0.1 }],
      }
    case 25: // lips part: lower lip down, a dark gap
      return {
        handles: [{ x: f.cx, y: f.mouthY + f.lowerLip, radius: 0.05, dx: 0, dy: 0.9 }],
        shades: [{ x: f.cx, y: f.mouthY + 0.003, rx: mw * 0.7, ry: 0.005, amount: -0.35 }],
      }
  }
}

/** Per-pixel motion (in amplitude units) and shading of one AU for one face and size. */
export interface AuField {
  au: SyntheticAu
  dx: Float32Array
  dy: Float32Array
  shade: Float32Array
  /** Pixel box of everything the AU touches: x0, y0 inclusive, x1, y1 exclusive. */
  extent: PixelBox
  /**
   * Where it moves the skin by at least a third of its amplitude or shades it by 4%: one
   * pixel box per half of the face it acts on (image left, image right).
   */
  regions: PixelBox[]
}

/** A rectangle of pixels. */
export interface PixelBox {
  x0: number
  y0: number
  x1: number
  y1: number
}

/** Precomputes the field of an AU on a `size`×`size` frame. */
export function auField(face: FaceModel, au: SyntheticAu, size: number): AuField {
  const shape = auShape(face, au)
  const n = size * size
  const field: AuField = {
    au,
    dx: new Float32Array(n),
    dy: new Float32Array(n),
    shade: new Float32Array(n),
    extent: { x0: size, y0: size, x1: 0, y1: 0 },
    regions: [],
  }
  const grow = (cx: number, cy: number, rx: number, ry: number) => {
    const b = field.extent
    b.x0 = Math.max(0, Math.min(b.x0, Math.floor((cx - rx) * size)))
    b.y0 = Math.max(0, Math.min(b.y0, Math.floor((cy - ry) * size)))
    b.x1 = Math.min(size, Math.max(b.x1, Math.ceil((cx + rx) * size)))
    b.y1 = Math.min(size, Math.max(b.y1, Math.ceil((cy + ry) * size)))
  }
  for (const h of shape.handles) {
    grow(h.x, h.y, h.radius, h.radius)
    forEachPixel(size, h.x, h.y, h.radius, h.radius, (p, d2) => {
      const w = (1 - d2) * (1 - d2)
      field.dx[p] += h.dx * w
      field.dy[p] += h.dy * w
    })
  }
  for (const s of shape.shades) {
    grow(s.x, s.y, s.rx, s.ry)
    forEachPixel(size, s.x, s.y, s.rx, s.ry, (p, d2) => {
      field.shade[p] += s.amount * (1 - d2) * (1 - d2)
    })
  }
  const halves = [
    { x0: size, y0: size, x1: 0, y1: 0 },
    { x0: size, y0: size, x1: 0, y1: 0 },
  ]
  const middle = face.cx * size
  for (let y = field.extent.y0; y < field.extent.y1; y++) {
    for (let x = field.extent.x0; x < field.extent.x1; x++) {
      const p = y * size + x
      const moved = field.dx[p] * field.dx[p] + field.dy[p] * field.dy[p] >= 1 / 9
      if (!moved && Math.abs(field.shade[p]) < 0.04) continue
      const r = halves[x + 0.5 < middle ? 0 : 1]
      r.x0 = Math.min(r.x0, x)
      r.y0 = Math.min(r.y0, y)
      r.x1 = Math.max(r.x1, x + 1)
      r.y1 = Math.max(r.y1, y + 1)
    }
  }
  field.regions = halves.filter((r) => r.x1 > r.x0)
  return field
}

/** Calls `fn(pixelIndex, d²)` for every pixel centre inside the ellipse (d² < 1). */
function forEachPixel(
  size: number,
  cx: number,
  cy: number,
  rx: number,
  ry: number,
  fn: (p: number, d2: number) => void,
): void {
  const x0 = Math.max(0, Math.floor((cx - rx) * size))
  const x1 = Math.min(size - 1, Math.ceil((cx + rx) * size))
  const y0 = Math.max(0, Math.floor((cy - ry) * size))
  const y1 = Math.min(size - 1, Math.ceil((cy + ry) * size))
  for (let y = y0; y <= y1; y++) {
    const ny = ((y + 0.5) / size - cy) / ry
    for (let x = x0; x <= x1; x++) {
      const nx = ((x + 0.5) / size - cx) / rx
      const d2 = nx * nx + ny * ny
      if (d2 < 1) fn(y * size + x, d2)
    }
  }
}
