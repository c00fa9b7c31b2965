import path from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SpotRecordingResult } from '../../../src/shared/spot-recording'
import { createEngine, type Engine } from '../../../src/engine/api/engine'
import { planLongRecording } from '../../../src/engine/datasets/synthetic/long-plan'
import { writeLongRecording } from '../../../src/engine/datasets/synthetic/long-recording'
import { LongRecordingRenderer } from '../../../src/engine/datasets/synthetic/long-render'
import type { CropBox } from '../../../src/engine/media/face/align'
import { createFaceApiDetector } from '../../../src/engine/media/face/face-api-detector'
import { cropBoxOf } from '../../../src/engine/signal/spotting/face-track'
import { spotVideo, type SpottedVideo } from '../../../src/engine/signal/spotting/spot-video'
import { callOk } from '../../helpers/engine'
import { tempDir } from '../../helpers/temp'

/*
 * `spotting.spotRecording` with face detection (face-api, in the job's worker) on a recording
 * whose head drifts and rolls: every stored clip's crop is the face track's box at the clip's
 * apex, turned with the head, as `spotVideo` tracks it in this process.
 */

const { dir, cleanup } = tempDir('microau-spot-crops-')
const library = path.join(dir, 'library.sqlite')
const video = path.join(dir, 'p07.mp4')
const PLANNED = { seed: 3, seconds: 8, fps: 25, width: 640, height: 480, micro: 2, macro: 0 }
let engine: Engine
let result: SpotRecordingResult
let alone: SpottedVideo

beforeAll(async () => {
  await writeLongRecording({ ...PLANNED, blinks: 1, out: video })
  engine = createEngine({ libraryPath: library })
  const started = await callOk(engine, 'spotting.spotRecording', { video, dataset: 'Rolled' })
  const job = await engine.jobs.whenSettled(started.id)
  expect(job.status, JSON.stringify(job.error)).toBe('succeeded')
  result = job.result as SpotRecordingResult
  alone = await spotVideo(video, { detector: await createFaceApiDetector() })
}, 300_000)
afterAll(() => {
  engine?.close()
  cleanup()
})

interface StoredClip {
  apex: number
  crop: string | null
}

function storedClips(): StoredClip[] {
  const db = new Database(library, { readonly: true })
  try {
    return db
      .prepare(
        `SELECT m.apex, c.crop FROM clips c JOIN markers m ON m.clip_id = c.id
         WHERE c.recording_id = ? ORDER BY m.onset`,
      )
      .all(result.recordingId) as StoredClip[]
  } finally {
    db.close()
  }
}

describe('spotted clips of a detected face', () => {
  it('are cropped at the face track’s box at their apex, with its angle', () => {
    expect(result.face).toBe('detected')
    const clips = storedClips()
    expect(clips.length).toBeGreaterThan(0)
    expect(clips.map((c) => c.apex - 1)).toEqual(alone.intervals.map((i) => i.apex))
    for (const clip of clips) {
      expect(clip.crop).not.toBeNull()
      const stored = JSON.parse(clip.crop!) as CropBox
      const tracked = cropBoxOf(alone.track.boxAt(clip.apex - 1))
      for (const key of ['x', 'y', 'width', 'height', 'angle'] as const) {
        expect(stored[key]).toBeCloseTo(tracked[key], 6)
      }
    }
  })

  it('turn with the head: the crop’s angle is the start’s plus the head’s roll at the apex', () => {
    const renderer = new LongRecordingRenderer(planLongRecording(PLANNED))
    const start = alone.face.box.angle
    let largest = 0
    for (const clip of storedClips()) {
      const { roll } = renderer.headPose(clip.apex - 1)
      largest = Math.max(largest, Math.abs(roll))
      const stored = JSON.parse(clip.crop!) as CropBox
      expect(Math.abs(stored.angle - start - roll)).toBeLessThan(0.25)
    }
    // The first frame's angle would be this far off: the test tells the two apart.
    expect(largest).toBeGreaterThan(2)
  })
})
