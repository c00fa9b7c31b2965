import { describe, expect, it } from 'vitest'
import { framesForSeconds, secondsOfFrame } from '../../../src/engine/signal/time-scale'

describe('framesForSeconds', () => {
  it('converts a window in seconds with the frame rate', () => {
    expect(framesForSeconds(0.25, 200)).toBe(50)
    // 0.25 × 30 = 7.5 rounds to 8
    expect(framesForSeconds(0.25, 30)).toBe(8)
    expect(framesForSeconds(0.5, 29.97)).toBe(15)
  })

  it('never gives fewer frames than the minimum', () => {
    expect(framesForSeconds(0.01, 30)).toBe(1)
    expect(framesForSeconds(0, 30, 0)).toBe(0)
    expect(framesForSeconds(0.05, 30, 3)).toBe(3)
  })

  it('refuses a frame rate or a duration that is not one', () => {
    expect(() => framesForSeconds(0.2, 0)).toThrow(/frame rate/)
    expect(() => framesForSeconds(0.2, Number.NaN)).toThrow(/frame rate/)
    expect(() => framesForSeconds(-1, 30)).toThrow(/zero seconds/)
  })
})

describe('secondsOfFrame', () => {
  it('is the frame number over the rate', () => {
    expect(secondsOfFrame(300, 200)).toBe(1.5)
    expect(secondsOfFrame(0, 30)).toBe(0)
  })
})
