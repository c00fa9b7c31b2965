/**
 * Temporal band-pass filters of Eulerian magnification, applied per pyramid coefficient,
 * and their frequency responses.
 *
 * - IIR (MIT amplify_spatial_lpyr_temporal_iir): two first-order low-passes
 *   lp ← (1−r)·lp + r·x, band = lp1 − lp2, so H(z) = r1/(1−(1−r1)z⁻¹) − r2/(1−(1−r2)z⁻¹).
 * - Butterworth (amplify_spatial_lpyr_temporal_butter): the difference of two first-order
 *   Butterworth low-passes at fh and fl. The MIT code designs them with butter(1, f/fps),
 *   but MATLAB normalises cut-offs to Nyquist (fps/2), so its real cut-offs are fl/2 and
 *   fh/2. Here the cut-offs are the frequencies given; pass fl/2 and fh/2 to match MIT.
 * - Ideal (amplify_spatial_Gdown_temporal_ideal): zeroing of DFT bins outside the band.
 */

/** A first-order digital low-pass y[t] = b0·x[t] + b1·x[t−1] − a1·y[t−1]. */
export interface FirstOrderLowPass {
  b0: number
  b1: number
  a1: number
}

/** Pass band of the IIR band-pass at a frame rate; every frequency in Hz. */
export interface IirPassBand {
  /** Lower −3 dB point: gain = peakGain/√2. */
  lowHz: number
  /** Upper −3 dB point, or fps/2 when the gain at Nyquist stays above peakGain/√2. */
  highHz: number
  /** Frequency of the largest gain. */
  peakHz: number
  /** Largest gain (below 1: the band-pass is a difference of two low-passes). */
  peakGain: number
  /** −3 dB cut-off of the fast low-pass (r1) alone. */
  fastCutoffHz: number
  /** −3 dB cut-off of the slow low-pass (r2) alone. */
  slowCutoffHz: number
}

/**
 * Gain |H| of the IIR band-pass at a frequency.
 * @param hz frequency in Hz
 * @param fps sampling rate in frames per second
 * @param r1 weight of the fast low-pass
 * @param r2 weight of the slow low-pass
 */
export function iirGain(hz: number, fps: number, r1: number, r2: number): number {
  const w = (2 * Math.PI * hz) / fps
  const c = Math.cos(w)
  const s = Math.sin(w)
  // r / (1 − (1−r)·e^{−iw}) for each low-pass, as re + i·im
  const d1r = 1 - (1 - r1) * c
  const d1i = (1 - r1) * s
  const d2r = 1 - (1 - r2) * c
  const d2i = (1 - r2) * s
  const n1 = d1r * d1r + d1i * d1i
  const n2 = d2r * d2r + d2i * d2i
  const re = (r1 * d1r) / n1 - (r2 * d2r) / n2
  const im = (-r1 * d1i) / n1 + (r2 * d2i) / n2
  return Math.hypot(re, im)
}

/** −3 dB cut-off of lp ← (1−r)·lp + r·x: cos w = 1 − r²/(2(1−r)). */
function onePoleCutoffHz(r: number, fps: number): number {
  const c = r >= 1 ? -Infinity : 1 - (r * r) / (2 * (1 - r))
  return c <= -1 ? fps / 2 : (Math.acos(c) * fps) / (2 * Math.PI)
}

/** Bisection for the frequency in [lo, hi] where f crosses 0 (f(lo) and f(hi) differ in sign). */
function bisect(f: (hz: number) => number, lo: number, hi: number): number {
  let a = lo
  let b = hi
  const fa = f(a)
  for (let i = 0; i < 100 && b - a > 1e-12 * (1 + b); i++) {
    const mid = (a + b) / 2
    if (Math.sign(f(mid)) === Math.sign(fa)) a = mid
    else b = mid
  }
  return (a + b) / 2
}

/**
 * Pass band of the IIR band-pass at a frame rate, found numerically from its analytic
 * response: the peak by a grid search refined by golden section, the −3 dB points (relative
 * to the peak) by bisection. With r1 = 0.4, r2 = 0.05 at 200 fps: peak 0.817 at 5.19 Hz,
 * band 1.38–19.77 Hz. The "1.6–16.6 Hz" often quoted are the cut-offs of the two low-passes
 * alone (`slowCutoffHz`, `fastCutoffHz`), not the band of their difference. Everything scales
 * linearly with fps.
 * @param fps frame rate
 * @param r1 weight of the fast low-pass (default 0.4)
 * @param r2 weight of the slow low-pass (default 0.05)
 */
export function iirPassBandHz(fps: number, r1 = 0.4, r2 = 0.05): IirPassBand {
  const nyquist = fps / 2
  const gain = (hz: number): number => iirGain(hz, fps, r1, r2)
  const steps = 4096
  let best = 1
  for (let i = 2; i <= steps; i++) {
    if (gain((i * nyquist) / steps) > gain((best * nyquist) / steps)) best = i
  }
  let a = (Math.max(0, best - 1) * nyquist) / steps
  let b = (Math.min(steps, best + 1) * nyquist) / steps
  const phi = (Math.sqrt(5) - 1) / 2
  for (let i = 0; i < 100; i++) {
    const x1 = b - phi * (b - a)
    const x2 = a + phi * (b - a)
    if (gain(x1) < gain(x2)) a = x1
    else b = x2
  }
  const peakHz = (a + b) / 2
  const peakGain = gain(peakHz)
  const threshold = (hz: number): number => gain(hz) - peakGain / Math.SQRT2
  return {
    lowHz: bisect(threshold, 0, peakHz),
    highHz: threshold(nyquist) >= 0 ? nyquist : bisect(threshold, peakHz, nyquist),
    peakHz,
    peakGain,
    fastCutoffHz: onePoleCutoffHz(r1, fps),
    slowCutoffHz: onePoleCutoffHz(r2, fps),
  }
}

/**
 * One time step of the IIR band-pass for a block of coefficients, in place:
 * lp1 ← (1−r1)·lp1 + r1·x, lp2 ← (1−r2)·lp2 + r2·x, x ← gain·(lp1 − lp2).
 * @param x current coefficients, replaced by the amplified band
 * @param lp1 fast low-pass state
 * @param lp2 slow low-pass state
 * @param r1 weight of the fast low-pass
 * @param r2 weight of the slow low-pass
 * @param gain factor on the band
 */
export function iirBandPassStep(
  x: Float64Array,
  lp1: Float64Array,
  lp2: Float64Array,
  r1: number,
  r2: number,
  gain: number,
): void {
  for (let i = 0; i < x.length; i++) {
    const v = x[i]
    const a = lp1[i] + r1 * (v - lp1[i])
    const b = lp2[i] + r2 * (v - lp2[i])
    lp1[i] = a
    lp2[i] = b
    x[i] = gain * (a - b)
  }
}

/**
 * First-order Butterworth low-pass by the bilinear transform with pre-warping (MATLAB's
 * butter(1, cutoffHz/(fps/2))): K = tan(π·fc/fps), b0 = b1 = K/(1+K), a1 = (K−1)/(1+K).
 * @param cutoffHz −3 dB frequency, in (0, fps/2)
 * @param fps sampling rate
 */
export function butterworthLowPass(cutoffHz: number, fps: number): FirstOrderLowPass {
  const k = Math.tan((Math.PI * cutoffHz) / fps)
  return { b0: k / (1 + k), b1: k / (1 + k), a1: (k - 1) / (1 + k) }
}

/**
 * One time step of the Butterworth band-pass (high-cut low-pass minus low-cut low-pass) for a
 * block of coefficients, in place.
 * @param x current coefficients, replaced by gain·(lpHigh − lpLow)
 * @param previous last step's input, updated to x
 * @param lpHigh state of the low-pass at the upper cut-off
 * @param lpLow state of the low-pass at the lower cut-off
 * @param high low-pass at the upper cut-off
 * @param low low-pass at the lower cut-off
 * @param gain factor on the band
 */
export function butterworthBandPassStep(
  x: Float64Array,
  previous: Float64Array,
  lpHigh: Float64Array,
  lpLow: Float64Array,
  high: FirstOrderLowPass,
  low: FirstOrderLowPass,
  gain: number,
): void {
  const { b0: hb0, b1: hb1, a1: ha1 } = high
  const { b0: lb0, b1: lb1, a1: la1 } = low
  for (let i = 0; i < x.length; i++) {
    const v = x[i]
    const p = previous[i]
    const h = hb0 * v + hb1 * p - ha1 * lpHigh[i]
    const l = lb0 * v + lb1 * p - la1 * lpLow[i]
    lpHigh[i] = h
    lpLow[i] = l
    previous[i] = v
    x[i] = gain * (h - l)
  }
}

/**
 * DFT bins an ideal band-pass keeps: bin k has frequency min(k, n−k)·fps/n and is kept when
 * lowHz < frequency < highHz (strict, as the MIT code). The MIT code keeps only the positive
 * frequencies, which halves the amplitude of the real part it takes; here both halves are
 * kept, so a sinusoid in the band passes with gain 1 (MIT's output equals ours at alpha/2).
 * @param n number of frames
 * @param fps frame rate
 * @param lowHz lower edge
 * @param highHz upper edge
 * @returns 1 for a kept bin, 0 otherwise
 */
export function idealBandMask(n: number, fps: number, lowHz: number, highHz: number): Uint8Array {
  const mask = new Uint8Array(n)
  for (let k = 0; k < n; k++) {
    const hz = (Math.min(k, n - k) * fps) / n
    mask[k] = hz > lowHz && hz < highHz ? 1 : 0
  }
  return mask
}
