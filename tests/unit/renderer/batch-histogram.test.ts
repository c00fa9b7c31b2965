import { describe, expect, it } from 'vitest'
import { binCentres, histogram } from '../../../src/renderer/src/batch/histogram'

describe('histogram', () => {
  it('counts values in equal bins over [0, 1], 1 in the last bin', () => {
    const h = histogram([0, 0.1, 0.24999, 0.25, 0.5, 0.74, 0.99, 1], 4)
    expect(h.edges).toEqual([0, 0.25, 0.5, 0.75, 1])
    expect(h.counts).toEqual([3, 1, 2, 2])
  })
  it('leaves out missing and out-of-range values', () => {
    expect(histogram([null, Number.NaN, -0.1, 1.2, 0.3], 2).counts).toEqual([1, 0])
  })
  it('refuses a bin count that is not a positive integer', () => {
    expect(() => histogram([0.5], 0)).toThrow(/bins/)
    expect(() => histogram([0.5], 2.5)).toThrow(/bins/)
  })
  it('gives the bin centres', () => {
    expect(binCentres(histogram([], 4))).toEqual([0.125, 0.375, 0.625, 0.875])
  })
})
