import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openLibrary, type LibraryDb } from '../../../src/engine/db/open-library'
import { clipFrames } from '../../../src/engine/ml/data/clip-images'
import { encodeVideo } from '../../../src/engine/media/encode-video'
import { tempDir } from '../../helpers/temp'

/*
 * A spotted clip is a stretch of its recording (first_frame > 1, frames numbered as in the
 * recording): reading it must give the recording's frames at those numbers, not the
 * recording's first frames under the clip's numbers.
 */

let db: LibraryDb
let cleanup: () => void
let clipId: number
const GREY_STEP = 10

beforeAll(async () => {
  const t = tempDir()
  cleanup = t.cleanup
  const video = path.join(t.dir, 'recording.mkv')
  // Frame k (1-based) is a flat grey of 10·k, lossless, so each frame names its place.
  const frames = Array.from({ length: 20 }, (_, i) =>
    new Uint8Array(16 * 8 * 3).fill(GREY_STEP * (i + 1)),
  )
  await encodeVideo(frames, { width: 16, height: 8, fps: 200, out: video, codec: 'ffv1' })
  db = openLibrary(path.join(t.dir, 'library.sqlite'))
  db.prepare("INSERT INTO datasets (name) VALUES ('Long')").run()
  db.prepare("INSERT INTO subjects (dataset_id, code) VALUES (1, 'p01')").run()
  clipId = Number(
    db
      .prepare(
        `INSERT INTO clips (dataset_id, subject_id, name, source_kind, source_path, fps, frame_count,
           first_frame, width, height) VALUES (1, 1, 'recording.mkv@12-15', 'video', ?, 200, 4, 12, 16, 8)`,
      )
      .run(video).lastInsertRowid,
  )
  for (let n = 12; n <= 15; n++) {
    db.prepare('INSERT INTO frames (clip_id, number) VALUES (?, ?)').run(clipId, n)
  }
}, 60_000)
afterAll(() => {
  db.close()
  cleanup()
})

describe('reading a spotted clip of a recording', () => {
  it('gives the recording’s frames at the clip’s absolute numbers', async () => {
    const read: [number, number][] = []
    for await (const frame of clipFrames(db, clipId, '/nonexistent-cache')) {
      read.push([frame.number, frame.image.data[0]])
    }
    expect(read).toEqual([12, 13, 14, 15].map((n) => [n, GREY_STEP * n]))
  })
})
