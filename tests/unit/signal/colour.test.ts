import { describe, expect, it } from 'vitest'
import { RGB_TO_YIQ, YIQ_TO_RGB, toGrey, transformPlanes } from '../../../src/engine/signal/colour'
import { random } from './synthetic-clip'

describe('YIQ', () => {
  it('maps white to Y = 1 with no chrominance and red to the first column', () => {
    const r = Float64Array.from([1, 1])
    const g = Float64Array.from([1, 0])
    const b = Float64Array.from([1, 0])
    transformPlanes(RGB_TO_YIQ, r, g, b)
    expect(r[0]).toBeCloseTo(1, 12)
    expect(g[0]).toBeCloseTo(0, 12)
    expect(b[0]).toBeCloseTo(0, 12)
    expect([r[1], g[1], b[1]]).toEqual([0.299, 0.596, 0.211])
  })

  it('round-trips RGB → YIQ → RGB', () => {
    const next = random(3)
    const planes = [0, 1, 2].map(() => Float64Array.from({ length: 500 }, next))
    const copy = planes.map((p) => p.slice())
    transformPlanes(RGB_TO_YIQ, planes[0], planes[1], planes[2])
    expect(planes[1]).not.toEqual(copy[1])
    transformPlanes(YIQ_TO_RGB, planes[0], planes[1], planes[2])
    for (let c = 0; c < 3; c++) {
      for (let i = 0; i < 500; i++) expect(planes[c][i]).toBeCloseTo(copy[c][i], 12)
    }
  })

  it('inverts the MATLAB matrix (ntsc2rgb first row ≈ 1, 0.956, 0.621)', () => {
    expect(YIQ_TO_RGB[0]).toBeCloseTo(1, 3)
    expect(YIQ_TO_RGB[1]).toBeCloseTo(0.956, 3)
    expect(YIQ_TO_RGB[2]).toBeCloseTo(0.621, 3)
  })
})

describe('toGrey', () => {
  it('takes the luma of RGB pixels', () => {
    const grey = toGrey(Float32Array.from([1, 0, 0, 0.5, 0.5, 0.5]), 3)
    expect(grey[0]).toBeCloseTo(0.299, 6)
    expect(grey[1]).toBeCloseTo(0.5, 6)
  })

  it('returns a grey frame as it is', () => {
    const frame = Float32Array.from([0.1, 0.2])
    expect(toGrey(frame, 1)).toBe(frame)
  })
})
