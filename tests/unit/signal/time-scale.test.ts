import { describe, expect, it } from 'vitest'
import {
  centredWindowFrames,
  framesForSeconds,
  secondsOfFrame,
} from '../../../src/engine/signal/time-scale'
import { apexSpottingParams } from '../../../src/engine/signal-jobs/apex-curves'
import { DEFAULT_APEX_PARAMS } from '../../../src/engine/signal'

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

describe('centredWindowFrames', () => {
  it('gives an odd window of about the duration at 200 and 30 fps', () => {
    // 0.3 × 200 = 60 frames: half = round(59 / 2) = 30, so 61 frames (0.305 s)
    expect(centredWindowFrames(0.3, 200)).toBe(61)
    // 0.3 × 30 = 9 frames: half = round(8 / 2) = 4, so 9 frames (0.3 s)
    expect(centredWindowFrames(0.3, 30)).toBe(9)
    // 0.1 × 30 = 3: half 1; 0.01 s is under a frame: the minimum half of 1
    expect(centredWindowFrames(0.1, 30)).toBe(3)
    expect(centredWindowFrames(0.01, 30)).toBe(3)
    expect(() => centredWindowFrames(0.3, 0)).toThrow(/frame rate/)
  })
})

describe('apexSpottingParams', () => {
  it("is the paper's setting at 200 fps and the same 0.3 s window at 30 fps", () => {
    expect(apexSpottingParams(200)).toEqual(DEFAULT_APEX_PARAMS)
    expect(apexSpottingParams()).toEqual(DEFAULT_APEX_PARAMS)
    const at30 = apexSpottingParams(30)
    expect(at30.windowLength).toBe(9)
    expect(at30.grid).toBe(6)
    // the radius keeps the paper's share of the window: 9 × 31 / 61
    expect(at30.radius).toBeCloseTo(4.5738, 4)
  })
})
