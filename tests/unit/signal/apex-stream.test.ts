import { describe, expect, it } from 'vitest'
import { AppError } from '../../../src/shared/errors'
import { spotApex, type Clip } from '../../../src/engine/signal'
import { ApexStream } from '../../../src/engine/signal/apex-stream'
import { random, syntheticClip } from './synthetic-clip'

function noiseClip(width: number, height: number, frames: number, seed: number): Clip {
  const next = random(seed)
  return {
    width,
    height,
    frames: Array.from({ length: frames }, () =>
      Float32Array.from({ length: width * height }, next),
    ),
  }
}

function streamed(clip: Clip, chunkFrames: number, params = {}): ApexStream {
  const channels = clip.frames[0].length === clip.width * clip.height ? 1 : 3
  const stream = new ApexStream(clip.width, clip.height, channels, params, { chunkFrames })
  for (const frame of clip.frames) stream.push(frame)
  return stream
}

describe('ApexStream', () => {
  const params = { windowLength: 7, grid: 2, radius: 3 }

  it.each([1, 3, 8, 13, 100])(
    'scores a clip in chunks of %i centres like the whole-clip computation',
    (chunk) => {
      const clip = noiseClip(14, 12, 40, 5)
      const whole = spotApex(clip, params)
      const { apexIndex, scores } = streamed(clip, chunk, params).finish()
      expect(scores).toHaveLength(40)
      scores.forEach((s, i) => expect(s / whole.scores[i]).toBeCloseTo(1, 10))
      expect(apexIndex).toBe(whole.apexIndex)
    },
  )

  it('holds at most a chunk plus a window of frames, however long the clip', () => {
    const short = streamed(noiseClip(14, 12, 60, 2), 8, params)
    const long = streamed(noiseClip(14, 12, 600, 3), 8, params)
    short.finish()
    long.finish()
    expect(long.frames).toBe(600)
    expect(long.peakHeld).toBeLessThanOrEqual(8 + 7)
    expect(long.peakHeld).toBe(short.peakHeld)
    // The whole-clip computation holds every frame.
    expect(streamed(noiseClip(14, 12, 60, 2), Infinity, params).peakHeld).toBe(60)
  })

  it('finds the apex of a motion pulse across chunk boundaries (default parameters)', () => {
    const shape = [0.5, 1, 1.5, 1, 0.5]
    const clip = syntheticClip({
      width: 48,
      height: 48,
      frames: 110,
      region: { x: 15, y: 15, radius: 9 },
      motion: (t) => (t >= 38 && t <= 42 ? shape[t - 38] : 0),
    })
    expect(streamed(clip, 17).finish().apexIndex).toBe(40)
  })

  it('rejects a frame of another size, no frames, and a chunk that is not a count', () => {
    const stream = new ApexStream(10, 10, 1, params)
    expect(() => stream.push(new Float32Array(99))).toThrow(AppError)
    expect(() => stream.finish()).toThrow(/no frames/)
    expect(() => new ApexStream(10, 10, 1, params, { chunkFrames: 0 })).toThrow(AppError)
  })
})
