import { describe, expect, it } from 'vitest'
import { FftPlan, MAX_DIRECT_RADIX } from '../../../src/engine/signal/fft'
import { random } from './synthetic-clip'

/** Textbook O(n²) DFT, the reference. */
function naiveDft(re: Float64Array, im: Float64Array): [Float64Array, Float64Array] {
  const n = re.length
  const outRe = new Float64Array(n)
  const outIm = new Float64Array(n)
  for (let k = 0; k < n; k++) {
    for (let t = 0; t < n; t++) {
      const angle = (-2 * Math.PI * ((k * t) % n)) / n
      outRe[k] += re[t] * Math.cos(angle) - im[t] * Math.sin(angle)
      outIm[k] += re[t] * Math.sin(angle) + im[t] * Math.cos(angle)
    }
  }
  return [outRe, outIm]
}

function randomSignal(n: number, seed: number): [Float64Array, Float64Array] {
  const next = random(seed)
  return [
    Float64Array.from({ length: n }, () => next() - 0.5),
    Float64Array.from({ length: n }, () => next() - 0.5),
  ]
}

describe('FftPlan', () => {
  it('gives the worked transform of [1, 2, 3, 4]', () => {
    const re = Float64Array.from([1, 2, 3, 4])
    const im = new Float64Array(4)
    new FftPlan(4).forward(re, im)
    expect(Array.from(re)).toEqual([10, -2, -2, -2])
    expect(Array.from(im).map((v) => v + 0)).toEqual([0, 2, 0, -2])
  })

  // Powers of two, mixed radices (2·13 and 3³ are the apex block sides), primes below and
  // above the Bluestein threshold, and composites with a large prime factor.
  const sizes = [
    1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 13, 16, 17, 26, 27, 34, 60, 61, 64, 97, 100, 128, 243,
  ]
  it.each(sizes)('matches the naive DFT for n = %i', (n) => {
    const [re, im] = randomSignal(n, n)
    const [expectRe, expectIm] = naiveDft(re, im)
    new FftPlan(n).forward(re, im)
    for (let k = 0; k < n; k++) {
      expect(re[k]).toBeCloseTo(expectRe[k], 10)
      expect(im[k]).toBeCloseTo(expectIm[k], 10)
    }
  })

  it.each([7, 12, 61, 100])('inverts its forward transform for n = %i', (n) => {
    const [re, im] = randomSignal(n, 100 + n)
    const copyRe = re.slice()
    const copyIm = im.slice()
    const plan = new FftPlan(n)
    plan.forward(re, im)
    plan.inverse(re, im)
    for (let t = 0; t < n; t++) {
      expect(re[t]).toBeCloseTo(copyRe[t], 12)
      expect(im[t]).toBeCloseTo(copyIm[t], 12)
    }
  })

  it('can be reused: a second transform does not see the first one', () => {
    const plan = new FftPlan(2 * MAX_DIRECT_RADIX + 5)
    const [a, b] = randomSignal(plan.n, 7)
    plan.forward(a.slice(), b.slice())
    const [expectRe] = naiveDft(a, b)
    plan.forward(a, b)
    for (let k = 0; k < plan.n; k++) expect(a[k]).toBeCloseTo(expectRe[k], 10)
  })

  it('rejects a length below 1', () => {
    expect(() => new FftPlan(0)).toThrow(RangeError)
  })
})
