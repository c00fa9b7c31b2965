import fs from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openLibrary, type LibraryDb } from '../../../src/engine/db/open-library'
import { APEX_SPOTTING_SOURCE } from '../../../src/engine/ml/data/apex-spotting'
import { resolveLabelCoder } from '../../../src/engine/ml/data/label-coder'
import { loadTrainingSet } from '../../../src/engine/ml/data/training-set'
import { tempDir } from '../../helpers/temp'
import { syntheticLibrary, type SyntheticLibrary } from './fixtures'

let cleanup: () => void
let lib: SyntheticLibrary
let db: LibraryDb

beforeAll(async () => {
  const t = tempDir()
  cleanup = t.cleanup
  lib = await syntheticLibrary(t.dir, { subjects: 3, clips: 3, quirks: true })
  db = openLibrary(lib.file)
}, 120_000)
afterAll(() => {
  db.close()
  cleanup()
})

describe('training data', () => {
  it('spots missing apexes, stores them as estimated, and caches magnified key frames', async () => {
    const missing = lib.dataset.clips.filter((c) => c.sheetApex === null)
    expect(missing.length).toBeGreaterThan(0)
    const coder = resolveLabelCoder(db, lib.datasetId)
    expect(coder.kind).toBe('import')
    const first = await loadTrainingSet(db, lib.frameCacheDir, {
      datasetIds: [lib.datasetId],
      minPositives: 2,
      resizeSize: 37,
    })
    expect(first.clips).toHaveLength(lib.dataset.clips.length)
    expect(first.spottedApexes).toBe(missing.length)
    for (const truth of missing) {
      const clip = first.clips.find((c) => c.name === truth.name && c.subject === truth.subject)!
      expect(clip.apexEstimated).toBe(true)
      const marker = db
        .prepare(
          'SELECT apex, apex_estimated AS estimated FROM markers WHERE clip_id = ? AND coder_id = ?',
        )
        .get(clip.clipId, coder.id) as { apex: number; estimated: number }
      expect(marker).toEqual({ apex: clip.apex, estimated: 1 })
      expect(clip.apex).toBeGreaterThanOrEqual(truth.onset)
      expect(clip.apex).toBeLessThanOrEqual(truth.offset)
      const audit = db
        .prepare(
          "SELECT source FROM audit WHERE clip_id = ? AND entity = 'marker' ORDER BY id DESC",
        )
        .pluck()
        .get(clip.clipId)
      expect(audit).toBe(APEX_SPOTTING_SOURCE)
    }
    for (const clip of first.clips) {
      expect(clip.closeCandidates).not.toContain(clip.apex)
      expect(clip.closeCandidates.every((n) => Math.abs(n - clip.apex) <= 3)).toBe(true)
      expect(clip.frames.get(clip.apex)).toHaveLength(37 * 37 * 3)
    }
    const rows = db.prepare('SELECT count(*) FROM magnified_frames').pluck().get() as number
    expect(rows).toBeGreaterThanOrEqual(first.clips.length * 3)

    // The second load reads the magnified frames from the cache: the source frames can go.
    fs.rmSync(lib.dataset.framesRoot, { recursive: true, force: true })
    const second = await loadTrainingSet(db, lib.frameCacheDir, {
      datasetIds: [lib.datasetId],
      minPositives: 2,
      resizeSize: 37,
    })
    expect(second.spottedApexes).toBe(0)
    expect(second.auList).toEqual(first.auList)
    second.clips.forEach((clip, i) => {
      expect(clip.apex).toBe(first.clips[i].apex)
      expect(clip.frames).toEqual(first.clips[i].frames)
    })

    // Windows are in time: at 30 fps a clip's close-to-apex frames are the apex's neighbours.
    const slow = first.clips[0]
    expect(slow.closeCandidates.some((n) => Math.abs(n - slow.apex) > 1)).toBe(true)
    db.prepare('UPDATE clips SET fps = 30 WHERE id = ?').run(slow.clipId)
    const third = await loadTrainingSet(db, lib.frameCacheDir, {
      datasetIds: [lib.datasetId],
      minPositives: 2,
      resizeSize: 37,
    })
    const at30 = third.clips.find((c) => c.clipId === slow.clipId)!
    expect(at30.closeCandidates.length).toBeGreaterThan(0)
    expect(at30.closeCandidates.every((n) => Math.abs(n - at30.apex) === 1)).toBe(true)
  })
})
