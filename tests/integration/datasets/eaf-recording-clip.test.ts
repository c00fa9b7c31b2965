import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { exportEaf } from '../../../src/engine/datasets/eaf/eaf-export'
import { importEaf } from '../../../src/engine/datasets/eaf/eaf-import'
import { frameStartMs } from '../../../src/engine/datasets/eaf/eaf-time'
import { generateSyntheticDataset } from '../../../src/engine/datasets/synthetic/generate'
import { storeSpottedRecording } from '../../../src/engine/spotting/store-spotted'
import { codesSnapshot, testLibrary, type TestLibrary } from './fixtures'

const FPS = 200
let lib: TestLibrary
let video: string

beforeAll(async () => {
  lib = testLibrary()
  const synthetic = await generateSyntheticDataset({
    outDir: path.join(lib.dir, 'study'),
    subjects: 1,
    clipsPerSubject: 1,
    seed: 8,
    format: 'video',
    size: 32,
    fps: FPS,
  })
  video = synthetic.clips[0].video!
  // A candidate spotted at decoded frames 20–30 with 0.05 s (10 frames) of context: the clip
  // holds the recording's frames 11–41 (1-based), not starting at the video's first frame.
  const stored = storeSpottedRecording(lib.db, {
    dataset: 'interviews',
    subject: 'P01',
    video,
    fps: FPS,
    frames: synthetic.clips[0].frameCount,
    width: 32,
    height: 32,
    intervals: [{ onset: 20, apex: 25, offset: 30, score: 9, kind: 'micro' }],
    spotting: {},
    contextSeconds: 0.05,
  })
  const ann = lib.db.prepare("INSERT INTO coders (name, kind) VALUES ('Ann', 'human')").run()
  lib.db
    .prepare(
      'INSERT INTO markers (clip_id, coder_id, onset, apex, offset) VALUES (?, ?, 22, 26, 30)',
    )
    .run(stored.clipIds[0], ann.lastInsertRowid)
  lib.db
    .prepare(
      "INSERT INTO au_labels (clip_id, coder_id, au, side, intensity) VALUES (?, ?, 12, 'L', 'C')",
    )
    .run(stored.clipIds[0], ann.lastInsertRowid)
})
afterAll(() => lib.cleanup())

describe('ELAN export of a clip cut from a long recording', () => {
  it("times the annotations on the video's own timeline and reads them back on the same frames", async () => {
    const outDir = path.join(lib.dir, 'elan')
    exportEaf(lib.db, { dataset: 'interviews', outDir, coder: 'Ann' })
    const [file] = fs.readdirSync(path.join(outDir, 'P01')).map((f) => path.join(outDir, 'P01', f))
    const slots = [...fs.readFileSync(file, 'utf8').matchAll(/TIME_VALUE="(\d+)"/g)].map((m) =>
      Number(m[1]),
    )
    // Onset 22 starts 21 frames into the video; the offset frame 30 ends where frame 31 starts.
    expect(slots.slice(0, 2)).toEqual([frameStartMs(22, 1, FPS), frameStartMs(31, 1, FPS)])
    expect(slots[0]).toBe(105)

    const other = testLibrary()
    try {
      const report = await importEaf(other.db, { source: outDir, dataset: 'back', subject: 'P01' })
      expect(report.flags).toEqual([])
      const { markers } = codesSnapshot(other.db)
      expect(markers).toMatchObject([{ coder: 'Ann', onset: 22, apex: 26, offset: 30 }])
      const source = other.db.prepare('SELECT source_path FROM clips').pluck().get()
      expect(source).toBe(video)
    } finally {
      other.cleanup()
    }
  })
})
