/**
 * Complex FFT of any length on split real/imaginary Float64Arrays.
 *
 * Lengths whose prime factors are all small run a self-sorting (Stockham) mixed-radix
 * transform: radix 4 and 2 butterflies written out, odd factors through a generic odd-radix
 * butterfly that pairs the inputs q and p−q. Lengths with a prime factor above {@link MAX_DIRECT_RADIX} go through
 * Bluestein's chirp-z algorithm on a power-of-two Stockham transform, so every length costs
 * O(n log n). A plan owns all its scratch memory: transforms allocate nothing.
 *
 * Stockham stage (decimation in time, self-sorting): before a stage of radix p the buffer
 * holds, for every residue r in [0, m) with m = n/L, the length-L DFT A_L[r][f] of the
 * subsequence x[r], x[r+m], x[r+2m], … at index r + m·f. With L' = pL and m' = m/p,
 *   A_L'[r'][f + L·s] = Σ_q w_p^{s·q} · w_L'^{f·q} · A_L[r' + q·m'][f],
 * written to index r' + m'·(f + L·s). The first stage reads the input as is (L = 1) and the
 * last one leaves the spectrum in natural order (m' = 1); the inner loop over r' is
 * contiguous and its twiddles are constant.
 */

/** Largest prime factor handled by a direct radix-p butterfly; larger ones use Bluestein. */
export const MAX_DIRECT_RADIX = 16

interface Stage {
  /** Radix of this stage. */
  p: number
  /** Length of the sub-transforms before the stage. */
  l: number
  /** Interleaved twiddles w_{pL}^{f·q}, f in [0, L), q in [1, p): (re, im) pairs. */
  twiddles: Float64Array
  /** cos and sin of 2π·s·q/p for s, q in [1, (p−1)/2], row-major (odd radices only). */
  cos: Float64Array
  sin: Float64Array
}

/** Splits n into radices, fours first, then the primes in increasing order. */
function factorise(n: number): number[] {
  const factors: number[] = []
  let rest = n
  while (rest % 4 === 0) {
    factors.push(4)
    rest /= 4
  }
  for (let p = 2; rest > 1; p++) {
    while (rest % p === 0) {
      factors.push(p)
      rest /= p
    }
    if (p * p > rest && rest > 1) {
      factors.push(rest)
      break
    }
  }
  return factors
}

/** A Stockham transform of a fixed length whose factors are all direct radices. */
class StockhamTransform {
  private readonly stages: Stage[]
  private readonly scratchRe: Float64Array
  private readonly scratchIm: Float64Array
  /** Sums a_q + a_{p−q} and differences a_q − a_{p−q} of one odd-radix butterfly. */
  private readonly sumRe: Float64Array
  private readonly sumIm: Float64Array
  private readonly difRe: Float64Array
  private readonly difIm: Float64Array

  constructor(readonly n: number) {
    this.stages = []
    let l = 1
    let maxP = 1
    for (const p of factorise(n)) {
      const twiddles = new Float64Array(2 * l * (p - 1))
      for (let f = 0; f < l; f++) {
        for (let q = 1; q < p; q++) {
          const angle = (-2 * Math.PI * f * q) / (l * p)
          const at = 2 * (f * (p - 1) + q - 1)
          twiddles[at] = Math.cos(angle)
          twiddles[at + 1] = Math.sin(angle)
        }
      }
      const h = (p - 1) >> 1
      const cos = new Float64Array(h * h)
      const sin = new Float64Array(h * h)
      for (let s = 1; s <= h; s++) {
        for (let q = 1; q <= h; q++) {
          cos[(s - 1) * h + q - 1] = Math.cos((2 * Math.PI * s * q) / p)
          sin[(s - 1) * h + q - 1] = Math.sin((2 * Math.PI * s * q) / p)
        }
      }
      this.stages.push({ p, l, twiddles, cos, sin })
      l *= p
      maxP = Math.max(maxP, p)
    }
    this.scratchRe = new Float64Array(n)
    this.scratchIm = new Float64Array(n)
    this.sumRe = new Float64Array(maxP)
    this.sumIm = new Float64Array(maxP)
    this.difRe = new Float64Array(maxP)
    this.difIm = new Float64Array(maxP)
  }

  /** Forward transform (e^{-2πi kt/n}) in place. */
  forward(re: Float64Array, im: Float64Array): void {
    let inRe = re
    let inIm = im
    let outRe = this.scratchRe
    let outIm = this.scratchIm
    for (const stage of this.stages) {
      if (stage.p === 4) this.radix4(stage, inRe, inIm, outRe, outIm)
      else if (stage.p === 2) this.radix2(stage, inRe, inIm, outRe, outIm)
      else this.radixOdd(stage, inRe, inIm, outRe, outIm)
      const tRe = inRe
      const tIm = inIm
      inRe = outRe
      inIm = outIm
      outRe = tRe
      outIm = tIm
    }
    if (inRe !== re) {
      re.set(inRe)
      im.set(inIm)
    }
  }

  // Each stage maps in[r + m·f] to out[r' + m'·(f + L·s)]: see the file header.
  private radix2(
    stage: Stage,
    inRe: Float64Array,
    inIm: Float64Array,
    outRe: Float64Array,
    outIm: Float64Array,
  ): void {
    const { l, twiddles } = stage
    const m = this.n / l
    const m1 = m >> 1
    for (let f = 0; f < l; f++) {
      const wr = twiddles[2 * f]
      const wi = twiddles[2 * f + 1]
      const inBase = m * f
      const outBase = m1 * f
      const outHalf = m1 * l
      for (let r = 0; r < m1; r++) {
        const i0 = inBase + r
        const i1 = i0 + m1
        const br = inRe[i1] * wr - inIm[i1] * wi
        const bi = inRe[i1] * wi + inIm[i1] * wr
        const ar = inRe[i0]
        const ai = inIm[i0]
        const o = outBase + r
        outRe[o] = ar + br
        outIm[o] = ai + bi
        outRe[o + outHalf] = ar - br
        outIm[o + outHalf] = ai - bi
      }
    }
  }

  private radix4(
    stage: Stage,
    inRe: Float64Array,
    inIm: Float64Array,
    outRe: Float64Array,
    outIm: Float64Array,
  ): void {
    const { l, twiddles } = stage
    const m = this.n / l
    const m1 = m >> 2
    const outStep = m1 * l
    for (let f = 0; f < l; f++) {
      const t = 6 * f
      const w1r = twiddles[t]
      const w1i = twiddles[t + 1]
      const w2r = twiddles[t + 2]
      const w2i = twiddles[t + 3]
      const w3r = twiddles[t + 4]
      const w3i = twiddles[t + 5]
      const inBase = m * f
      const outBase = m1 * f
      for (let r = 0; r < m1; r++) {
        const i0 = inBase + r
        const i1 = i0 + m1
        const i2 = i1 + m1
        const i3 = i2 + m1
        const a0r = inRe[i0]
        const a0i = inIm[i0]
        const a1r = inRe[i1] * w1r - inIm[i1] * w1i
        const a1i = inRe[i1] * w1i + inIm[i1] * w1r
        const a2r = inRe[i2] * w2r - inIm[i2] * w2i
        const a2i = inRe[i2] * w2i + inIm[i2] * w2r
        const a3r = inRe[i3] * w3r - inIm[i3] * w3i
        const a3i = inRe[i3] * w3i + inIm[i3] * w3r
        const s02r = a0r + a2r
        const s02i = a0i + a2i
        const d02r = a0r - a2r
        const d02i = a0i - a2i
        const s13r = a1r + a3r
        const s13i = a1i + a3i
        // -i·(a1 - a3)
        const d13r = a1i - a3i
        const d13i = a3r - a1r
        const o = outBase + r
        outRe[o] = s02r + s13r
        outIm[o] = s02i + s13i
        outRe[o + outStep] = d02r + d13r
        outIm[o + outStep] = d02i + d13i
        outRe[o + 2 * outStep] = s02r - s13r
        outIm[o + 2 * outStep] = s02i - s13i
        outRe[o + 3 * outStep] = d02r - d13r
        outIm[o + 3 * outStep] = d02i - d13i
      }
    }
  }

  // Odd radix p, pairing q with p−q (h = (p−1)/2): with A = a0 + Σ_q cos(2πsq/p)·(a_q + a_{p−q})
  // and B = Σ_q sin(2πsq/p)·(a_q − a_{p−q}), y_s = A − iB and y_{p−s} = A + iB.
  private radixOdd(
    stage: Stage,
    inRe: Float64Array,
    inIm: Float64Array,
    outRe: Float64Array,
    outIm: Float64Array,
  ): void {
    const { p, l, twiddles, cos, sin } = stage
    const { sumRe, sumIm, difRe, difIm } = this
    const h = (p - 1) >> 1
    const m = this.n / l
    const m1 = m / p
    const outStep = m1 * l
    for (let f = 0; f < l; f++) {
      const tBase = 2 * f * (p - 1)
      const inBase = m * f
      const outBase = m1 * f
      for (let r = 0; r < m1; r++) {
        const i0 = inBase + r
        const a0r = inRe[i0]
        const a0i = inIm[i0]
        let y0r = a0r
        let y0i = a0i
        for (let q = 1; q <= h; q++) {
          const i = i0 + q * m1
          const j = i0 + (p - q) * m1
          const wr = twiddles[tBase + 2 * (q - 1)]
          const wi = twiddles[tBase + 2 * (q - 1) + 1]
          const vr = twiddles[tBase + 2 * (p - q - 1)]
          const vi = twiddles[tBase + 2 * (p - q - 1) + 1]
          const ar = inRe[i] * wr - inIm[i] * wi
          const ai = inRe[i] * wi + inIm[i] * wr
          const br = inRe[j] * vr - inIm[j] * vi
          const bi = inRe[j] * vi + inIm[j] * vr
          sumRe[q] = ar + br
          sumIm[q] = ai + bi
          difRe[q] = ar - br
          difIm[q] = ai - bi
          y0r += ar + br
          y0i += ai + bi
        }
        const o = outBase + r
        outRe[o] = y0r
        outIm[o] = y0i
        for (let s = 1; s <= h; s++) {
          let ar = a0r
          let ai = a0i
          let br = 0
          let bi = 0
          const row = (s - 1) * h - 1
          for (let q = 1; q <= h; q++) {
            const c = cos[row + q]
            const sn = sin[row + q]
            ar += c * sumRe[q]
            ai += c * sumIm[q]
            br += sn * difRe[q]
            bi += sn * difIm[q]
          }
          outRe[o + s * outStep] = ar + bi
          outIm[o + s * outStep] = ai - br
          outRe[o + (p - s) * outStep] = ar - bi
          outIm[o + (p - s) * outStep] = ai + br
        }
      }
    }
  }
}

/** Bluestein's chirp-z transform: a length-n DFT as a power-of-two circular convolution. */
class BluesteinTransform {
  private readonly inner: StockhamTransform
  private readonly chirpRe: Float64Array
  private readonly chirpIm: Float64Array
  /** Transform of the conjugate chirp, the convolution kernel. */
  private readonly kernelRe: Float64Array
  private readonly kernelIm: Float64Array
  private readonly workRe: Float64Array
  private readonly workIm: Float64Array

  constructor(readonly n: number) {
    let size = 1
    while (size < 2 * n - 1) size *= 2
    this.inner = new StockhamTransform(size)
    this.chirpRe = new Float64Array(n)
    this.chirpIm = new Float64Array(n)
    this.kernelRe = new Float64Array(size)
    this.kernelIm = new Float64Array(size)
    this.workRe = new Float64Array(size)
    this.workIm = new Float64Array(size)
    for (let k = 0; k < n; k++) {
      // k² mod 2n keeps the angle small, so the chirp stays accurate for large k
      const angle = (-Math.PI * ((k * k) % (2 * n))) / n
      this.chirpRe[k] = Math.cos(angle)
      this.chirpIm[k] = Math.sin(angle)
    }
    for (let k = 0; k < n; k++) {
      this.kernelRe[k] = this.chirpRe[k]
      this.kernelIm[k] = -this.chirpIm[k]
      if (k > 0) {
        this.kernelRe[size - k] = this.chirpRe[k]
        this.kernelIm[size - k] = -this.chirpIm[k]
      }
    }
    this.inner.forward(this.kernelRe, this.kernelIm)
  }

  forward(re: Float64Array, im: Float64Array): void {
    const { n, chirpRe, chirpIm, kernelRe, kernelIm, workRe, workIm } = this
    const size = workRe.length
    workRe.fill(0)
    workIm.fill(0)
    for (let k = 0; k < n; k++) {
      workRe[k] = re[k] * chirpRe[k] - im[k] * chirpIm[k]
      workIm[k] = re[k] * chirpIm[k] + im[k] * chirpRe[k]
    }
    this.inner.forward(workRe, workIm)
    // Multiply by the kernel and conjugate, so the next forward pass is an inverse one.
    for (let k = 0; k < size; k++) {
      const r = workRe[k] * kernelRe[k] - workIm[k] * kernelIm[k]
      const i = workRe[k] * kernelIm[k] + workIm[k] * kernelRe[k]
      workRe[k] = r
      workIm[k] = -i
    }
    this.inner.forward(workRe, workIm)
    for (let k = 0; k < n; k++) {
      const r = workRe[k] / size
      const i = -workIm[k] / size
      re[k] = r * chirpRe[k] - i * chirpIm[k]
      im[k] = r * chirpIm[k] + i * chirpRe[k]
    }
  }
}

/**
 * A reusable transform of one length. Not re-entrant: one plan serves one caller at a time
 * (all engine code is synchronous, so a plan per loop is enough).
 */
export class FftPlan {
  private readonly transform: StockhamTransform | BluesteinTransform

  /** @param n transform length, a positive integer */
  constructor(readonly n: number) {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`FFT length must be >= 1, got ${n}`)
    const largest = factorise(n).reduce((a, b) => Math.max(a, b), 1)
    this.transform =
      largest > MAX_DIRECT_RADIX ? new BluesteinTransform(n) : new StockhamTransform(n)
  }

  /** In-place forward DFT: X[k] = Σ_t x[t]·e^{-2πi·kt/n}. */
  forward(re: Float64Array, im: Float64Array): void {
    this.transform.forward(re, im)
  }

  /** In-place inverse DFT, scaled by 1/n so that inverse(forward(x)) = x. */
  inverse(re: Float64Array, im: Float64Array): void {
    const n = this.n
    for (let k = 0; k < n; k++) im[k] = -im[k]
    this.transform.forward(re, im)
    for (let k = 0; k < n; k++) {
      re[k] /= n
      im[k] = -im[k] / n
    }
  }
}
