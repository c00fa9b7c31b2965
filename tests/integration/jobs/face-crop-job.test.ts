import { createRequire } from 'node:module'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createEngine, type Engine } from '../../../src/engine/api/engine'
import { encodeVideo } from '../../../src/engine/media/encode-video'
import { applyCrop } from '../../../src/engine/media/face/align'
import { decodeImage } from '../../../src/engine/media/image-io'
import { callOk } from '../../helpers/engine'
import { tempDir } from '../../helpers/temp'

// A photograph that ships inside the face-api package; nothing is downloaded.
const SAMPLE = path.join(
  path.dirname(createRequire(import.meta.url).resolve('@vladmandic/face-api/package.json')),
  'demo',
  'sample1.jpg',
)

const { dir, cleanup } = tempDir()
const libraryPath = path.join(dir, 'library.sqlite')
let engine: Engine

beforeAll(async () => {
  const photo = await decodeImage(SAMPLE)
  // A 320×320 "lab video" of the first person, upright, and one of a blank wall.
  const portrait = applyCrop(
    photo,
    { x: 342, y: 314, width: 320, height: 320, angle: 0 },
    { width: 320, height: 320 },
  )
  const wall = new Uint8Array(320 * 320 * 3).fill(128)
  await encodeVideo(
    Array.from({ length: 4 }, () => portrait.data),
    { width: 320, height: 320, fps: 25, out: path.join(dir, 'participant.mkv'), codec: 'ffv1' },
  )
  await encodeVideo(
    Array.from({ length: 4 }, () => wall),
    { width: 320, height: 320, fps: 25, out: path.join(dir, 'wall.mkv'), codec: 'ffv1' },
  )
  engine = createEngine({ libraryPath })
  const imported = await engine.jobs.whenSettled(
    (
      await callOk(engine, 'datasets.import', {
        format: 'videos',
        frames: [path.join(dir, 'participant.mkv'), path.join(dir, 'wall.mkv')],
        dataset: 'Lab',
        subject: 'p01',
      })
    ).id,
  )
  expect(imported.status, JSON.stringify(imported.error)).toBe('succeeded')
})
afterAll(() => {
  engine.close()
  cleanup()
})

describe('clips.faceCrop', () => {
  it('stores an eye-aligned crop for the clip with a face and reports the one without', async () => {
    const [dataset] = await callOk(engine, 'datasets.list', {})
    const job = await engine.jobs.whenSettled(
      (await callOk(engine, 'clips.faceCrop', { datasetId: dataset.id })).id,
    )
    expect(job.status, JSON.stringify(job.error)).toBe('succeeded')
    const result = job.result as { cropped: number; results: { clip: string; problem?: string }[] }
    expect(result.cropped).toBe(1)
    expect(result.results.find((r) => r.clip === 'wall')?.problem).toMatch(/No face/)

    const db = new Database(libraryPath, { readonly: true })
    const rows = db.prepare('SELECT name, crop FROM clips ORDER BY name').all() as {
      name: string
      crop: string | null
    }[]
    db.close()
    expect(rows.find((r) => r.name === 'wall')?.crop).toBeNull()
    const crop = JSON.parse(rows.find((r) => r.name === 'participant')!.crop!) as {
      x: number
      y: number
      width: number
      height: number
      angle: number
    }
    // The face fills the middle of the 320×320 frame, upright.
    expect(crop.width).toBeGreaterThan(80)
    expect(crop.width).toBeLessThan(400)
    expect(crop.x + crop.width / 2).toBeGreaterThan(100)
    expect(crop.x + crop.width / 2).toBeLessThan(220)
    expect(Math.abs(crop.angle)).toBeLessThan(10)
  })

  it('rejects an unknown dataset id shape before starting a job', async () => {
    expect(await engine.call('clips.faceCrop', { datasetId: 'all' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    })
  })
})
