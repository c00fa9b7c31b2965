import { TEXTURE_COARSE, TEXTURE_FINE, valueNoise, type FaceModel } from './face-model'

/**
 * Renders a subject's neutral face, 2×2 supersampled, as RGB floats (0–255, 3 per pixel).
 * Every feature has edges and texture (brow hair, lid lines, iris, nostrils, lip line,
 * folds, skin grain) so that small motions show up in pixel differences, LBP codes and
 * optical flow. Only polynomial and square-root arithmetic: bit-identical everywhere.
 */
export function renderNeutralFace(face: FaceModel, size: number): Float32Array {
  const out = new Float32Array(size * size * 3)
  const colour = new Float64Array(3)
  const offsets = [0.25, 0.75]
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let r = 0
      let g = 0
      let b = 0
      for (const oy of offsets) {
        for (const ox of offsets) {
          shadePoint(face, (x + ox) / size, (y + oy) / size, colour)
          r += colour[0]
          g += colour[1]
          b += colour[2]
        }
      }
      const p = (y * size + x) * 3
      out[p] = r / 4
      out[p + 1] = g / 4
      out[p + 2] = b / 4
    }
  }
  return out
}

/** x², written out so it stays exact on every engine. */
function sq(x: number): number {
  return x * x
}

/** Compact bump: 1 at the centre, 0 from distance 1 on, smooth in between. */
function bump(d2: number): number {
  if (d2 >= 1) return 0
  const t = 1 - d2
  return t * t
}

/** Distance from (u, v) to the segment (ax, ay)–(bx, by). */
function segmentDistance(
  u: number,
  v: number,
  ax: number,
  ay: number,
  bx: number,
  by: number,
): number {
  const dx = bx - ax
  const dy = by - ay
  const t = Math.min(1, Math.max(0, ((u - ax) * dx + (v - ay) * dy) / (dx * dx + dy * dy)))
  const ex = u - ax - t * dx
  const ey = v - ay - t * dy
  return Math.sqrt(ex * ex + ey * ey)
}

function blend(c: Float64Array, r: number, g: number, b: number, alpha: number): void {
  c[0] += (r - c[0]) * alpha
  c[1] += (g - c[1]) * alpha
  c[2] += (b - c[2]) * alpha
}

function scale(c: Float64Array, k: number): void {
  c[0] *= k
  c[1] *= k
  c[2] *= k
}

/** The colour of the neutral face at (u, v), written to `c`. */
function shadePoint(f: FaceModel, u: number, v: number, c: Float64Array): void {
  const fine = valueNoise(f.textureFine, TEXTURE_FINE, u, v)
  const coarse = valueNoise(f.textureCoarse, TEXTURE_COARSE, u, v)
  // background: vertical gradient with a little mottling
  const bt = Math.min(1, Math.max(0, v))
  for (let i = 0; i < 3; i++) {
    c[i] = f.backgroundTop[i] + (f.backgroundBottom[i] - f.backgroundTop[i]) * bt + coarse * 6
  }
  const du = (u - f.cx) / f.rx
  const dv = (v - f.cy) / f.ry
  // neck below the face
  if (v > f.cy + f.ry * 0.5 && Math.abs(u - f.cx) < f.rx * 0.58) {
    c[0] = f.skin[0] * 0.72
    c[1] = f.skin[1] * 0.72
    c[2] = f.skin[2] * 0.72
  }
  // hair: a larger oval behind and above the face
  const hu = (u - f.cx) / (f.rx * 1.14)
  const hv = (v - f.cy + 0.035) / (f.ry * 1.1)
  const inHair = hu * hu + hv * hv < 1 && v < f.cy + f.ry * 0.1
  if (inHair) {
    const strand = valueNoise(f.textureFine, TEXTURE_FINE, u * 0.35, v * 2.2)
    c[0] = f.hair[0] * (1 + strand * 0.18)
    c[1] = f.hair[1] * (1 + strand * 0.18)
    c[2] = f.hair[2] * (1 + strand * 0.18)
  }
  const inFace = du * du + dv * dv < 1 && v > f.hairline + 0.06 * du * du
  if (!inFace) return
  // skin: shaded towards the edges, grain and blotches
  const light = 1.04 - 0.2 * du * du - 0.08 * (dv > 0 ? dv * dv : 0) + fine * 0.07 + coarse * 0.04
  c[0] = f.skin[0] * light
  c[1] = f.skin[1] * light
  c[2] = f.skin[2] * light
  const side = u < f.cx ? -1 : 1
  const au = Math.abs(u - f.cx)
  // cheeks: a soft blush
  const blush = bump(sq((au - f.eyeDx) / 0.07) + sq((v - f.eyeY - 0.11) / 0.05))
  blend(c, f.lip[0], f.lip[1], f.lip[2], blush * 0.18)
  // nasolabial folds, from the nose wings to past the mouth corners
  const fold = segmentDistance(
    u,
    v,
    f.cx + side * f.noseWidth * 0.58,
    f.noseY - 0.004,
    f.cx + side * (f.mouthHalfWidth + 0.028),
    f.mouthY + 0.022,
  )
  if (fold < 0.01) scale(c, 1 - 0.14 * (1 - fold / 0.01))
  // mentolabial sulcus and chin
  const sulcusY = f.mouthY + f.lowerLip + 0.024
  const sulcus = Math.abs(v - sulcusY - 0.03 * sq((u - f.cx) / 0.06))
  if (au < 0.065 && sulcus < 0.008) scale(c, 1 - 0.1 * (1 - sulcus / 0.008))
  const chinLight = bump(sq((u - f.cx) / 0.055) + sq((v - f.chinY + 0.045) / 0.035))
  scale(c, 1 + chinLight * 0.06)
  drawBrow(f, u, v, au, fine, c)
  drawEye(f, u, v, side, c)
  drawNose(f, u, v, au, c)
  drawMouth(f, u, v, c)
}

function drawBrow(
  f: FaceModel,
  u: number,
  v: number,
  au: number,
  fine: number,
  c: Float64Array,
): void {
  const t = (au - f.browInner) / (f.browOuter - f.browInner)
  if (t < -0.05 || t > 1.05) return
  const tc = Math.min(1, Math.max(0, t))
  const centre = f.browY - f.browArch * 4 * tc * (1 - tc) + 0.006 * tc
  const half = f.browThickness * (0.55 - 0.25 * tc)
  const d = Math.abs(v - centre) / half
  if (d >= 1.3) return
  const edge = d < 1 ? 1 : (1.3 - d) / 0.3
  const ends = t < 0 ? 1 + t / 0.05 : t > 1 ? 1 - (t - 1) / 0.05 : 1
  const hairs = 0.78 + 0.22 * fine
  blend(c, f.brow[0], f.brow[1], f.brow[2], edge * ends * hairs * 0.9)
}

function drawEye(f: FaceModel, u: number, v: number, side: number, c: Float64Array): void {
  const ex = f.cx + side * f.eyeDx
  const t = (u - ex) / f.eyeRx
  const dy = v - f.eyeY
  // lid crease above the eye
  if (t > -1.15 && t < 1.15) {
    const crease = Math.abs(dy + f.eyeRy * 2.1 * (1 - 0.3 * t * t))
    if (crease < 0.005) scale(c, 1 - 0.16 * (1 - crease / 0.005))
    const socket = bump(t * t * 0.7 + sq((dy + f.eyeRy * 0.6) / (f.eyeRy * 3)))
    scale(c, 1 - socket * 0.1)
  }
  if (t <= -1 || t >= 1) return
  const open = 1 - t * t
  const top = -f.eyeRy * open
  const bottom = f.eyeRy * 0.8 * open
  if (dy > top && dy < bottom) {
    blend(c, 236, 230, 226, 1)
    const ir = f.eyeRy * 1.05
    const id2 = ((u - ex) * (u - ex) + dy * dy) / (ir * ir)
    if (id2 < 1) {
      const ring = 0.7 + 0.3 * (1 - id2)
      blend(c, f.iris[0] * ring, f.iris[1] * ring, f.iris[2] * ring, 1)
      if (id2 < 0.2) blend(c, 14, 12, 12, 1)
      const hx = u - ex + ir * 0.3
      const hy = dy + ir * 0.35
      if (hx * hx + hy * hy < ir * ir * 0.05) blend(c, 250, 250, 250, 0.9)
    }
    // shadow of the upper lid on the eyeball
    if (dy - top < 0.004) scale(c, 0.75)
  }
  // lash line and lower lid
  const lash = Math.abs(dy - top)
  if (lash < 0.0045) blend(c, 38, 28, 26, 0.85 * (1 - lash / 0.0045))
  const lower = Math.abs(dy - bottom)
  if (lower < 0.003) scale(c, 1 - 0.2 * (1 - lower / 0.003))
}

function drawNose(f: FaceModel, u: number, v: number, au: number, c: Float64Array): void {
  // bridge sides
  if (v > f.eyeY + 0.02 && v < f.noseY - 0.015) {
    const d = Math.abs(au - f.noseWidth * 0.32)
    if (d < 0.008) scale(c, 1 - 0.08 * (1 - d / 0.008))
  }
  // tip highlight and the shadow under the nose
  scale(c, 1 + 0.07 * bump(sq(au / 0.024) + sq((v - f.noseY + 0.022) / 0.02)))
  if (au < f.noseWidth * 0.55 && v > f.noseY + 0.004 && v < f.noseY + 0.016) scale(c, 0.9)
  // nostrils
  const n2 = sq((au - f.noseWidth * 0.33) / 0.0145) + sq((v - f.noseY) / 0.0075)
  if (n2 < 1) blend(c, c[0] * 0.35, c[1] * 0.3, c[2] * 0.3, n2 < 0.7 ? 1 : (1 - n2) / 0.3)
  // alar crease around each wing
  const wing = Math.abs(
    Math.sqrt(sq((au - f.noseWidth * 0.42) / 0.022) + sq((v - f.noseY + 0.006) / 0.02)) - 1,
  )
  if (wing < 0.2 && v < f.noseY + 0.004) scale(c, 1 - 0.12 * (1 - wing / 0.2))
}

function drawMouth(f: FaceModel, u: number, v: number, c: Float64Array): void {
  const t = (u - f.cx) / f.mouthHalfWidth
  // philtrum ridges
  if (
    Math.abs(Math.abs(u - f.cx) - 0.011) < 0.003 &&
    v > f.noseY + 0.016 &&
    v < f.mouthY - f.upperLip
  ) {
    scale(c, 0.95)
  }
  if (t <= -1.08 || t >= 1.08) return
  const open = Math.max(0, 1 - t * t)
  const line = f.mouthY + 0.005 * t * t
  const bow = 0.005 * Math.max(0, 1 - sq(t / 0.14))
  const top = line - f.upperLip * open + bow * open
  const bottom = line + f.lowerLip * Math.sqrt(open)
  if (v > top && v < bottom) {
    const lower = v > line
    const shine = lower
      ? 1.05 + 0.06 * bump(sq((v - line - f.lowerLip * 0.4) / (f.lowerLip * 0.5)))
      : 0.95
    blend(c, f.lip[0] * shine, f.lip[1] * shine, f.lip[2] * shine, Math.min(1, open * 4))
  }
  const d = Math.abs(v - line)
  const width = 0.0025 + 0.0025 * open
  if (d < width) blend(c, 70, 34, 34, 0.85 * (1 - d / width))
  // the corners
  const corner = bump(sq((Math.abs(t) - 1) / 0.09) + sq((v - line) / 0.007))
  scale(c, 1 - corner * 0.25)
}
