import { describe, expect, it } from 'vitest'
import type { SpotCandidate } from '../../../src/shared/spotting'
import { parseRoute, routeHash } from '../../../src/renderer/src/lib/route'
import {
  decisionCounts,
  formatClock,
  frameSeconds,
  intervalSeconds,
  nextPending,
  STRIP_WIDTH,
  stripSpan,
  workingFrames,
} from '../../../src/renderer/src/spotting/candidate-view'
import { spotAction } from '../../../src/renderer/src/spotting/spot-keys'

const press = (key: string, mods: Partial<Record<'shiftKey' | 'ctrlKey', boolean>> = {}) => ({
  key,
  shiftKey: false,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  ...mods,
})

function candidate(over: Partial<SpotCandidate>): SpotCandidate {
  return {
    clipId: 1,
    recordingId: 1,
    video: '/v.mp4',
    subject: 'p01',
    fps: 50,
    kind: 'micro',
    score: 3,
    spotted: { onset: 101, apex: 106, offset: 115 },
    adjusted: null,
    status: 'pending',
    firstFrame: 51,
    lastFrame: 165,
    ...over,
  }
}

describe('spotting route', () => {
  it('reads and writes #/spotting with and without a dataset', () => {
    expect(parseRoute('#/spotting')).toEqual({ screen: 'spotting', datasetId: null })
    expect(parseRoute('#/spotting/3')).toEqual({ screen: 'spotting', datasetId: 3 })
    expect(routeHash({ screen: 'spotting', datasetId: 3 })).toBe('#/spotting/3')
    expect(routeHash({ screen: 'spotting', datasetId: null })).toBe('#/spotting')
  })
})

describe('spotting keys', () => {
  it('moves between candidates and decides with its own keys', () => {
    expect(spotAction(press('j'))).toEqual({ type: 'candidate', step: 1 })
    expect(spotAction(press('PageUp'))).toEqual({ type: 'candidate', step: -1 })
    expect(spotAction(press('y'))).toEqual({ type: 'decide', status: 'accepted' })
    expect(spotAction(press('x'))).toEqual({ type: 'decide', status: 'rejected' })
    expect(spotAction(press('u'))).toEqual({ type: 'decide', status: 'pending' })
    expect(spotAction(press('w'))).toEqual({ type: 'open' })
  })

  it('steps and marks with the viewer’s keys, and leaves modified keys alone', () => {
    expect(spotAction(press('ArrowRight'))).toEqual({ type: 'step', frames: 1 })
    expect(spotAction(press('ArrowLeft', { shiftKey: true }))).toEqual({
      type: 'step',
      frames: -10,
    })
    expect(spotAction(press('a'))).toEqual({ type: 'mark', marker: 'apex' })
    expect(spotAction(press('F'))).toEqual({ type: 'mark', marker: 'offset' })
    expect(spotAction(press('o'))).toEqual({ type: 'mark', marker: 'onset' })
    expect(spotAction(press('y', { ctrlKey: true }))).toBeNull()
    // The viewer's other keys (views, AUs, play) mean nothing here.
    expect(spotAction(press('v'))).toBeNull()
    expect(spotAction(press('1'))).toBeNull()
    expect(spotAction(press(' '))).toBeNull()
  })
})

describe('candidate view', () => {
  it('works on the coder’s markers where they moved one, the spotter’s elsewhere', () => {
    expect(workingFrames(candidate({ adjusted: { apex: 108 } }))).toEqual({
      onset: 101,
      apex: 108,
      offset: 115,
    })
  })

  it('times frames from the recording’s start, 1-based, and intervals inclusive', () => {
    expect(frameSeconds(1, 50)).toBe(0)
    expect(frameSeconds(101, 50)).toBe(2)
    // Frames 101 … 115 are 15 frames: 0.3 s at 50 fps.
    expect(intervalSeconds({ onset: 101, apex: 106, offset: 115 }, 50)).toBeCloseTo(0.3, 12)
    expect(formatClock(2)).toBe('2.000')
    expect(formatClock(65.25)).toBe('1:05.250')
  })

  it('counts decisions and finds the next pending candidate, wrapping', () => {
    const queue = [
      candidate({ clipId: 1, status: 'accepted' }),
      candidate({ clipId: 2 }),
      candidate({ clipId: 3, status: 'rejected' }),
    ]
    expect(decisionCounts(queue)).toEqual({ pending: 1, accepted: 1, rejected: 1 })
    expect(nextPending(queue, 2)).toBe(1)
    expect(nextPending([queue[0]], 0)).toBe(0)
  })
})

describe('interval strip', () => {
  it('gives each frame of the clip an equal cell and an interval its cells whole', () => {
    // Frames 51 … 165: 115 cells.
    const c = candidate({})
    const cell = STRIP_WIDTH / 115
    expect(stripSpan(c, 51, 165)).toEqual({ x: 0, width: STRIP_WIDTH })
    const interval = stripSpan(c, 101, 115)
    expect(interval.x).toBeCloseTo(50 * cell, 9)
    expect(interval.width).toBeCloseTo(15 * cell, 9)
    expect(stripSpan(c, 165, 165).x + stripSpan(c, 165, 165).width).toBeCloseTo(STRIP_WIDTH, 9)
  })
})
