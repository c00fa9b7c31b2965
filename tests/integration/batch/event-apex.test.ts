import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { eventApexes, type RecordingEvent } from '../../../src/engine/batch/event-apex'
import { writeLongRecording } from '../../../src/engine/datasets/synthetic/long-recording'
import { decodeFrames } from '../../../src/engine/media/decode-frames'
import type { RgbImage } from '../../../src/engine/media/image-io'
import { framesInMemory, sameSize } from '../../../src/engine/ml/data/clip-images'
import { resizeRgb } from '../../../src/engine/ml/data/image-ops'
import { magnifyKeyFrames } from '../../../src/engine/ml/data/magnified-frames'
import { AppError } from '../../../src/shared/errors'
import { tempDir } from '../../helpers/temp'

/*
 * The streaming apex frames of a recording's events against the same frames read whole into
 * memory and magnified the way prediction of a clip does (magnifyKeyFrames): byte for byte,
 * for overlapping events, with and without a face crop.
 */

const { dir, cleanup } = tempDir('microau-event-apex-')
const video = path.join(dir, 'rec.mp4')
const SIDE = 32

beforeAll(async () => {
  await writeLongRecording({
    ...{ seed: 7, seconds: 3, fps: 50, width: 160, height: 120 },
    ...{ micro: 1, macro: 0, blinks: 0 },
    out: video,
  })
}, 120_000)
afterAll(() => cleanup())

/** The apex frame as the in-memory path makes it: frames onset…apex, cropped, magnified, resized. */
async function expected(event: RecordingEvent): Promise<Uint8Array> {
  const numbers: number[] = []
  const images: RgbImage[] = []
  const check = sameSize(0, event.crop)
  for await (const f of decodeFrames(video)) {
    if (f.index < event.onset || f.index > event.apex) continue
    const frame = check({
      number: f.index,
      image: { width: f.width, height: f.height, data: f.data },
    })
    numbers.push(frame.number)
    images.push(frame.image)
  }
  const apex = (
    await magnifyKeyFrames(framesInMemory({ numbers, images })(), new Set([event.apex]))
  ).get(event.apex)!
  return resizeRgb(apex, SIDE, SIDE)
}

describe('eventApexes', () => {
  it('gives each event the apex frame the in-memory path gives, in one read', async () => {
    const crop = { x: 30.5, y: 10, width: 90, height: 90, angle: 4 }
    const events: RecordingEvent[] = [
      { clipId: 1, onset: 20, apex: 41, crop },
      { clipId: 2, onset: 30, apex: 35, crop: null },
      { clipId: 3, onset: 38, apex: 38, crop },
    ]
    const got = new Map<number, Uint8Array>()
    const seen: number[] = []
    for await (const a of eventApexes(video, events, {
      resizeSize: SIDE,
      onFrame: (n) => seen.push(n),
    })) {
      got.set(a.event.clipId, a.image)
    }
    // In apex order, and the read stopped at the last apex (frame 41): no progress at 100.
    expect([...got.keys()]).toEqual([2, 3, 1])
    expect(seen).toEqual([])
    for (const e of events) expect(got.get(e.clipId)).toEqual(await expected(e))
  }, 120_000)

  it('names the file when an apex lies past its last frame', async () => {
    const run = async () => {
      for await (const _ of eventApexes(video, [{ clipId: 9, onset: 140, apex: 400, crop: null }], {
        resizeSize: SIDE,
      }))
        void _
    }
    await expect(run()).rejects.toThrow(AppError)
    await expect(run()).rejects.toThrow(
      `${video} ends before the apex of 1 spotted event(s) (frame 400)`,
    )
  })
})
