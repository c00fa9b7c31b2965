import { describe, expect, it } from 'vitest'
import {
  MAX_EAF_FPS,
  frameStartMs,
  intervalFrames,
  intervalMs,
  snapToFrame,
} from '../../../src/engine/datasets/eaf/eaf-time'

describe('frame ↔ ELAN milliseconds', () => {
  it('starts frame n at (n − first) × 1000 / fps, rounded halves up', () => {
    expect(frameStartMs(46, 46, 200)).toBe(0)
    expect(frameStartMs(47, 46, 200)).toBe(5)
    expect(frameStartMs(146, 46, 200)).toBe(500)
    expect(frameStartMs(2, 1, 30)).toBe(33) // 33.33
    expect(frameStartMs(3, 1, 30)).toBe(67) // 66.67
    expect(frameStartMs(2, 1, 400)).toBe(3) // 2.5 rounds up
  })

  it('reads a time back as the nearest frame start and says whether it lies on it', () => {
    expect(snapToFrame(3, 1, 400)).toEqual({ frame: 2, onFrame: true })
    expect(snapToFrame(2, 1, 400)).toEqual({ frame: 2, onFrame: false })
    expect(snapToFrame(67, 1, 30)).toEqual({ frame: 3, onFrame: true })
    expect(snapToFrame(50, 1, 30)).toEqual({ frame: 3, onFrame: false }) // 1.5 frames: halves up
    expect(snapToFrame(12, 46, 200)).toEqual({ frame: 48, onFrame: false })
  })

  it('gives every frame back at every rate up to 1000 fps', () => {
    for (const fps of [24, 25, 29.97, 30, 59.94, 60, 90, 100, 200, 240, 500, 999, MAX_EAF_FPS]) {
      for (let frame = 7; frame < 20_007; frame += 1) {
        const ms = frameStartMs(frame, 7, fps)
        const back = snapToFrame(ms, 7, fps)
        if (back.frame !== frame || !back.onFrame) {
          throw new Error(`${fps} fps: frame ${frame} → ${ms} ms → ${back.frame}`)
        }
      }
    }
  })

  it('cannot tell frames apart above 1000 fps, which is why exports refuse them', () => {
    expect(frameStartMs(1, 0, 2000)).toBe(frameStartMs(2, 0, 2000))
  })

  it('spans an interval from the onset start to the end of the offset frame, and back', () => {
    expect(intervalMs(751, 769, 749, 200)).toEqual({ begin: 10, end: 105 })
    expect(intervalFrames(10, 105, 749, 200)).toEqual({
      onset: { frame: 751, onFrame: true },
      offset: { frame: 769, onFrame: true },
    })
    // one frame: onset = offset, still a positive span
    expect(intervalMs(5, 5, 1, 30)).toEqual({ begin: 133, end: 167 })
    expect(intervalFrames(133, 167, 1, 30).offset.frame).toBe(5)
  })

  it('keeps a span shorter than half a frame on the frame it starts in, flagged off-frame', () => {
    expect(intervalFrames(10, 12, 749, 200)).toEqual({
      onset: { frame: 751, onFrame: true },
      offset: { frame: 751, onFrame: false },
    })
  })
})
