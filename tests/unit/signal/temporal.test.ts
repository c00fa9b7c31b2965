import { describe, expect, it } from 'vitest'
import {
  butterworthBandPassStep,
  butterworthLowPass,
  idealBandMask,
  iirBandPassStep,
  iirGain,
  iirPassBandHz,
  type FirstOrderLowPass,
} from '../../../src/engine/signal/temporal'

const FPS = 200

/**
 * Amplitude of the steady-state response to sin(2π f t/fps): runs `step` on one sample per
 * frame for 4 s, then projects the last whole periods onto sine and cosine.
 */
function measuredGain(hz: number, step: (x: Float64Array) => void): number {
  const x = new Float64Array(1)
  const frames = 4 * FPS
  const period = FPS / hz
  const from = frames - Math.floor(frames / 2 / period) * period
  let s = 0
  let c = 0
  let count = 0
  for (let t = 0; t < frames; t++) {
    x[0] = Math.sin((2 * Math.PI * hz * t) / FPS)
    step(x)
    if (t >= from) {
      s += x[0] * Math.sin((2 * Math.PI * hz * t) / FPS)
      c += x[0] * Math.cos((2 * Math.PI * hz * t) / FPS)
      count++
    }
  }
  return (2 * Math.hypot(s, c)) / count
}

/** |H| of y[t] = b0·x[t] + b1·x[t−1] − a1·y[t−1] at a frequency, as a complex number. */
function lowPassResponse(f: FirstOrderLowPass, hz: number): [number, number] {
  const w = (2 * Math.PI * hz) / FPS
  const nr = f.b0 + f.b1 * Math.cos(w)
  const ni = -f.b1 * Math.sin(w)
  const dr = 1 + f.a1 * Math.cos(w)
  const di = -f.a1 * Math.sin(w)
  const d = dr * dr + di * di
  return [(nr * dr + ni * di) / d, (ni * dr - nr * di) / d]
}

describe('IIR band-pass', () => {
  it('has the worked gains at DC, Nyquist and 5 Hz', () => {
    expect(iirGain(0, FPS, 0.4, 0.05)).toBeCloseTo(0, 12)
    // r1/(2−r1) − r2/(2−r2)
    expect(iirGain(100, FPS, 0.4, 0.05)).toBeCloseTo(0.224359, 6)
    expect(iirGain(5, FPS, 0.4, 0.05)).toBeCloseTo(0.81643, 5)
  })

  it.each([1, 2, 5, 20, 40])('passes a %i Hz sinusoid with the analytic gain (±1%%)', (hz) => {
    const lp1 = new Float64Array(1)
    const lp2 = new Float64Array(1)
    const gain = measuredGain(hz, (x) => iirBandPassStep(x, lp1, lp2, 0.4, 0.05, 1))
    expect(Math.abs(gain / iirGain(hz, FPS, 0.4, 0.05) - 1)).toBeLessThan(0.01)
  })

  it('applies the gain factor to the band', () => {
    const x = Float64Array.from([1])
    iirBandPassStep(x, new Float64Array(1), new Float64Array(1), 0.4, 0.05, 10)
    expect(x[0]).toBeCloseTo(10 * (0.4 - 0.05), 12)
  })

  it('has its −3 dB band at 1.38–19.77 Hz around a 5.19 Hz peak at 200 fps', () => {
    const band = iirPassBandHz(FPS)
    expect(band.peakHz).toBeCloseTo(5.1865, 3)
    expect(band.peakGain).toBeCloseTo(0.81661, 4)
    expect(band.lowHz).toBeCloseTo(1.3801, 3)
    expect(band.highHz).toBeCloseTo(19.7664, 3)
    for (const hz of [band.lowHz, band.highHz]) {
      expect(iirGain(hz, FPS, 0.4, 0.05)).toBeCloseTo(band.peakGain / Math.SQRT2, 9)
    }
    expect(iirGain(band.peakHz + 0.01, FPS, 0.4, 0.05)).toBeLessThan(band.peakGain)
    expect(iirGain(band.peakHz - 0.01, FPS, 0.4, 0.05)).toBeLessThan(band.peakGain)
    // The often-quoted 1.6–16.6 Hz are the cut-offs of the two low-passes alone.
    expect(band.slowCutoffHz).toBeCloseTo(1.63307, 4)
    expect(band.fastCutoffHz).toBeCloseTo(16.6258, 3)
  })

  it('scales its band with the frame rate', () => {
    const at100 = iirPassBandHz(100)
    const at200 = iirPassBandHz(200)
    expect(at100.lowHz).toBeCloseTo(at200.lowHz / 2, 6)
    expect(at100.highHz).toBeCloseTo(at200.highHz / 2, 6)
  })

  it('reports Nyquist as the upper edge when the gain never falls 3 dB', () => {
    const band = iirPassBandHz(FPS, 1, 0.05)
    expect(band.highHz).toBe(100)
    expect(band.fastCutoffHz).toBe(100)
  })
})

describe('Butterworth band-pass', () => {
  it('designs the worked low-pass at fps/4 (K = 1)', () => {
    const f = butterworthLowPass(50, FPS)
    expect(f.b0).toBeCloseTo(0.5, 12)
    expect(f.b1).toBeCloseTo(0.5, 12)
    expect(f.a1).toBeCloseTo(0, 12)
  })

  it('has gain 1/√2 at its cut-off', () => {
    const [re, im] = lowPassResponse(butterworthLowPass(7, FPS), 7)
    expect(Math.hypot(re, im)).toBeCloseTo(Math.SQRT1_2, 10)
  })

  it.each([1, 3, 8, 20, 50])('passes a %i Hz sinusoid with the analytic gain (±1%%)', (hz) => {
    const high = butterworthLowPass(15, FPS)
    const low = butterworthLowPass(2, FPS)
    const state = [0, 1, 2].map(() => new Float64Array(1))
    const gain = measuredGain(hz, (x) =>
      butterworthBandPassStep(x, state[0], state[1], state[2], high, low, 1),
    )
    const [hr, hi] = lowPassResponse(high, hz)
    const [lr, li] = lowPassResponse(low, hz)
    expect(Math.abs(gain / Math.hypot(hr - lr, hi - li) - 1)).toBeLessThan(0.01)
  })
})

describe('ideal band mask', () => {
  it('keeps the bins strictly inside the band, both signs of frequency', () => {
    // 10 frames at 10 fps: bin frequencies 0 1 2 3 4 5 4 3 2 1 Hz
    expect(Array.from(idealBandMask(10, 10, 1.5, 4.5))).toEqual([0, 0, 1, 1, 1, 0, 1, 1, 1, 0])
    expect(Array.from(idealBandMask(10, 10, 2, 4))).toEqual([0, 0, 0, 1, 0, 0, 0, 1, 0, 0])
  })
})
