import { describe, expect, it } from 'vitest'
import { gradCamOverlay, viridis } from '../../../src/engine/ml/infer/grad-cam-image'

/** Relative luminance of 0–255 sRGB taken as linear weights (enough to order colours). */
const lightness = ([r, g, b]: [number, number, number]) => 0.2126 * r + 0.7152 * g + 0.0722 * b

describe('viridis', () => {
  it('runs from #440154 through #21918c to #fde725, clamped outside [0, 1]', () => {
    expect(viridis(0)).toEqual([68, 1, 84])
    expect(viridis(0.5)).toEqual([33, 145, 140])
    expect(viridis(1)).toEqual([253, 231, 37])
    expect(viridis(-3)).toEqual(viridis(0))
    expect(viridis(7)).toEqual(viridis(1))
    // Halfway between the first two stops.
    expect(viridis(0.125)).toEqual([64, 42, 112])
  })
  it('gets lighter all the way, so the order survives colour-blindness and greyscale', () => {
    let previous = -1
    for (let i = 0; i <= 100; i++) {
      const l = lightness(viridis(i / 100))
      expect(l).toBeGreaterThan(previous)
      previous = l
    }
  })
})

describe('gradCamOverlay', () => {
  it('leaves the frame where the map is 0 and blends in yellow with the opacity where it is 1', () => {
    const frame = { width: 2, height: 1, data: Uint8Array.from([100, 100, 100, 100, 100, 100]) }
    const map = {
      au: '4',
      auIndex: 0,
      width: 2,
      height: 1,
      values: Float32Array.from([0, 0]),
      peak: 1,
    }
    const zero = gradCamOverlay(frame, map, 2, 0.6)
    expect(Array.from(zero.data)).toEqual([
      100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100,
    ])
    const one = gradCamOverlay(frame, { ...map, values: Float32Array.from([1, 1]) }, 2, 0.6)
    const [r, g, b] = viridis(1)
    const blend = (c: number) => Math.round(100 * 0.4 + c * 0.6)
    expect(Array.from(one.data.slice(0, 3))).toEqual([blend(r), blend(g), blend(b)])
  })
})
