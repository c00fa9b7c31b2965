import { describe, expect, it } from 'vitest'
import { spotApex, toGrey } from '../../../src/engine/signal'
import { magnifyClip } from '../../../src/engine/signal/magnify'
import { toBytes, toUnitFloats, type ClipFrame } from '../../../src/engine/ml/data/clip-images'
import {
  magnifyFrames,
  magnifyKeyFrames,
  TRAINING_MAGNIFICATION,
} from '../../../src/engine/ml/data/magnified-frames'
import { scoreFrames } from '../../../src/engine/signal-jobs/apex-curves'
import { syntheticClip } from './synthetic-clip'

/** A frame source that counts the frames it has handed out. */
function countingSource(frames: ClipFrame[]): {
  source: AsyncIterable<ClipFrame>
  yielded: () => number
} {
  let yielded = 0
  async function* source(): AsyncGenerator<ClipFrame> {
    for (const frame of frames) {
      yielded++
      yield frame
    }
  }
  return { source: source(), yielded: () => yielded }
}

function pulseClip(frames: number, size = 40): ClipFrame[] {
  const clip = syntheticClip({
    width: size,
    height: size,
    frames,
    region: { x: 12, y: 12, radius: 7 },
    motion: (t) => (t >= 150 && t <= 154 ? [0.5, 1, 1.5, 1, 0.5][t - 150] : 0),
    noise: 0.002,
    seed: 7,
  })
  return clip.frames.map((f, i) => ({ number: 101 + i, image: toBytes(f, size, size) }))
}

describe('streaming magnification', () => {
  it('magnifies frame by frame, one frame out at a time, like the whole-clip magnifier', async () => {
    const frames = pulseClip(40, 24)
    const { source, yielded } = countingSource(frames)
    const outstanding: number[] = []
    const out: Uint8Array[] = []
    const count = await magnifyFrames(source, TRAINING_MAGNIFICATION, (_, image) => {
      outstanding.push(yielded() - out.length)
      out.push(image.data)
    })
    expect(count).toBe(40)
    expect(Math.max(...outstanding)).toBe(1)
    const whole = magnifyClip(
      { width: 24, height: 24, frames: frames.map((f) => toUnitFloats(f.image)) },
      TRAINING_MAGNIFICATION,
    )
    whole.frames.forEach((f, i) =>
      expect(Buffer.from(toBytes(f, 24, 24).data).equals(Buffer.from(out[i]))).toBe(true),
    )
  })

  it('stops reading after the last key frame', async () => {
    const { source, yielded } = countingSource(pulseClip(40, 24))
    const kept = await magnifyKeyFrames(source, new Set([105, 110]))
    expect([...kept.keys()]).toEqual([105, 110])
    expect(yielded()).toBe(10)
  })
})

describe('streaming apex curve', () => {
  it('scores a clip longer than a chunk like the whole-clip spotter', async () => {
    // 400 frames: with the default 61-frame window the stream restarts its sums twice.
    const frames = pulseClip(400)
    const { source, yielded } = countingSource(frames)
    const scored = await scoreFrames(source)
    expect(yielded()).toBe(400)
    const grey = frames.map((f) => toGrey(toUnitFloats(f.image), 3))
    const whole = spotApex({ width: 40, height: 40, frames: grey })
    expect(scored.numbers).toEqual(frames.map((f) => f.number))
    scored.scores.forEach((s, i) => expect(s / whole.scores[i]).toBeCloseTo(1, 9))
    expect(scored.apexFrame).toBe(101 + whole.apexIndex)
    // The pulse peaks at frame 152 (0-based); noise moves the spotted apex by a few frames.
    expect(Math.abs(scored.apexFrame - (101 + 152))).toBeLessThanOrEqual(4)
  })
})
