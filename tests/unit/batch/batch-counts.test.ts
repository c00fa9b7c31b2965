import { describe, expect, it } from 'vitest'
import { videoLength, SHORT_VIDEO_SECONDS } from '../../../src/engine/batch/video-length'
import {
  auPresent,
  eventTimes,
  frameSeconds,
  participantCounts,
} from '../../../src/shared/batch-counts'
import type { BatchRow, BatchRowKind } from '../../../src/shared/ml'

function row(subject: string, file: string, kind: BatchRowKind, probabilities: number[]): BatchRow {
  return {
    ...{ clipId: 1, subject, clip: 'c', file, video: file, kind, fps: 200 },
    ...{ onset: 1, apex: 2, offset: 3, apexSource: 'spotted', score: null, probabilities },
  }
}

describe('event times', () => {
  it('puts a 1-based frame at (frame − 1) / fps seconds', () => {
    expect(frameSeconds(1, 200)).toBe(0)
    expect(frameSeconds(201, 200)).toBe(1)
    expect(frameSeconds(null, 200)).toBeNull()
    expect(frameSeconds(5, 0)).toBeNull()
  })

  it('counts both ends in the duration: onset 201 to offset 260 at 200 fps is 300 ms', () => {
    const times = eventTimes({ onset: 201, apex: 231, offset: 260, fps: 200 })
    expect(times.onset).toBe(1)
    expect(times.apex).toBeCloseTo(1.15, 12)
    expect(times.offset).toBeCloseTo(1.295, 12)
    expect(times.durationMs).toBeCloseTo(300, 9)
    // One frame at 30 fps lasts 33.3 ms.
    expect(eventTimes({ onset: 7, apex: 7, offset: 7, fps: 30 }).durationMs).toBeCloseTo(100 / 3, 9)
    expect(eventTimes({ onset: null, apex: 7, offset: 9, fps: 30 }).durationMs).toBeNull()
  })
})

describe('participantCounts', () => {
  it('counts videos, events per kind and events at or above each AU threshold', () => {
    const rows = [
      row('p1', 'a.mp4', 'micro', [0.5, 0.2]),
      row('p1', 'a.mp4', 'macro', [0.49, 0.9]),
      row('p1', 'b.mp4', 'micro', [0.9, Number.NaN]),
      row('p2', 'c.mkv', 'clip', [0.1, 0.3]),
    ]
    // AU thresholds 0.5 and 0.25: p1 shows AU A in 0.5 and 0.9 (2), AU B in 0.9 only (1).
    expect(participantCounts(rows, [0.5, 0.25])).toEqual([
      { subject: 'p1', videos: 2, events: { micro: 2, macro: 1, clip: 0 }, auCounts: [2, 1] },
      { subject: 'p2', videos: 1, events: { micro: 0, macro: 0, clip: 1 }, auCounts: [0, 1] },
    ])
  })

  it('is 1 at the threshold, 0 below it and unknown for a missing probability', () => {
    expect([auPresent(0.5, 0.5), auPresent(0.4999, 0.5), auPresent(Number.NaN, 0.5)]).toEqual([
      1,
      0,
      null,
    ])
  })
})

describe('videoLength', () => {
  const header = (frames: number | null, duration: number | null, fps = 200) => ({
    fps: { num: fps, den: 1 },
    duration,
    containerFrames: frames,
  })

  it('takes a video of at most 5 s as one clip and a longer one as a recording to spot', () => {
    expect(SHORT_VIDEO_SECONDS).toBe(5)
    expect(videoLength(header(1000, null))).toEqual({ frames: 1000, seconds: 5, long: false })
    expect(videoLength(header(1001, null))).toEqual({ frames: 1001, seconds: 5.005, long: true })
  })

  it('uses the duration when the container has no count, and the batch rate over the file', () => {
    expect(videoLength(header(null, 12, 30))).toEqual({ frames: 360, seconds: 12, long: true })
    // A 200 fps camera written as 25 fps: 100 frames are 4 s at 25 but 0.5 s at 200.
    expect(videoLength(header(100, null, 25)).long).toBe(false)
    expect(videoLength(header(200, null, 25), 200)).toEqual({
      frames: 200,
      seconds: 1,
      long: false,
    })
  })

  it('takes a video of unknown length as a recording (spotting reads any length)', () => {
    expect(videoLength(header(null, null))).toMatchObject({ frames: 0, long: true })
  })
})
