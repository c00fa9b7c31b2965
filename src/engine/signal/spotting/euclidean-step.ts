/** Crop pixels left out at the edge, where the gradient needs neighbours. */
const MARGIN = 2
/** A pivot of the normal equations at or under this share of their largest diagonal is zero. */
const DEGENERATE = 1e-9

/**
 * One Gauss–Newton step of Lucas–Kanade with a Euclidean warp (a translation and a turn about
 * the crop's centre), in the forward compositional form: the step (du, dv, dθ) in crop pixels
 * and radians that, composed after the warp the crop was sampled with, brings it onto the
 * reference. A crop point (u, v) from the centre moves by (du − v·dθ, dv + u·dθ) to first
 * order (the turn's Jacobian is (−v, u)), so crop(p + that) ≈ crop(p) + gx·(du − v·dθ) +
 * gy·(dv + u·dθ) = ref(p); in least squares, with s = (gx, gy, u·gy − v·gx) and
 * e = crop − ref, (Σ s·sᵀ)·d = −Σ s·e. The gradient is the central difference of the crop;
 * a crop without texture enough to fix the three (a flat one, say) gives the zero step.
 */
export function euclideanStep(
  crop: Float32Array,
  reference: Float32Array,
  size: number,
): [number, number, number] {
  // The upper triangle of Σ s·sᵀ and Σ s·e, in locals: the loop runs per crop pixel.
  let hxx = 0
  let hxy = 0
  let hxt = 0
  let hyy = 0
  let hyt = 0
  let htt = 0
  let bx = 0
  let by = 0
  let bt = 0
  const centre = size / 2
  for (let v = MARGIN; v < size - MARGIN; v++) {
    const rv = v + 0.5 - centre
    for (let u = MARGIN; u < size - MARGIN; u++) {
      const p = v * size + u
      const gx = (crop[p + 1] - crop[p - 1]) / 2
      const gy = (crop[p + size] - crop[p - size]) / 2
      const gt = (u + 0.5 - centre) * gy - rv * gx
      const e = crop[p] - reference[p]
      hxx += gx * gx
      hxy += gx * gy
      hxt += gx * gt
      hyy += gy * gy
      hyt += gy * gt
      htt += gt * gt
      bx += gx * e
      by += gy * e
      bt += gt * e
    }
  }
  const d = solveSymmetric3([hxx, hxy, hxt, hyy, hyt, htt], [bx, by, bt])
  return d === null ? [0, 0, 0] : [-d[0], -d[1], -d[2]]
}

/**
 * Solves A·x = b for a symmetric positive definite 3 × 3 matrix A given by its upper triangle
 * [a00, a01, a02, a11, a12, a22], by Cholesky (A = L·Lᵀ, then two triangular solves). Null
 * when A is degenerate: a pivot is not above DEGENERATE times A's largest diagonal entry.
 */
export function solveSymmetric3(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
): [number, number, number] | null {
  const floor = DEGENERATE * Math.max(a[0], a[3], a[5])
  if (!(floor > 0)) return null
  const p0 = a[0]
  if (!(p0 > floor)) return null
  const l00 = Math.sqrt(p0)
  const l10 = a[1] / l00
  const l20 = a[2] / l00
  const p1 = a[3] - l10 * l10
  if (!(p1 > floor)) return null
  const l11 = Math.sqrt(p1)
  const l21 = (a[4] - l20 * l10) / l11
  const p2 = a[5] - l20 * l20 - l21 * l21
  if (!(p2 > floor)) return null
  const l22 = Math.sqrt(p2)
  // L·y = b, then Lᵀ·x = y.
  const y0 = b[0] / l00
  const y1 = (b[1] - l10 * y0) / l11
  const y2 = (b[2] - l20 * y0 - l21 * y1) / l22
  const x2 = y2 / l22
  const x1 = (y1 - l21 * x2) / l11
  const x0 = (y0 - l10 * x1 - l20 * x2) / l00
  return [x0, x1, x2]
}
