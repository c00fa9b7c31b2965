import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createEngine, type Engine } from '../../../src/engine/api/engine'
import { openLibrary } from '../../../src/engine/db/open-library'
import { resolveFramePath } from '../../../src/engine/media/frame-cache'
import { encodePng } from '../../../src/engine/media/image-io'
import type { ClipDetail } from '../../../src/shared/coding'
import type { Job } from '../../../src/shared/domain'
import { tempDir } from '../../helpers/temp'

let engine: Engine
let file: string
let clipId: number
let cleanup: () => void

beforeAll(() => {
  const t = tempDir()
  cleanup = t.cleanup
  file = path.join(t.dir, 'library.sqlite')
  const folder = path.join(t.dir, 'sub01', 'EP01_01')
  fs.mkdirSync(folder, { recursive: true })
  // Five 8×6 frames, each a different grey, named as CASME II names them.
  for (let i = 0; i < 5; i++) {
    const data = new Uint8Array(8 * 6 * 3).fill(40 * i)
    fs.writeFileSync(
      path.join(folder, `img${101 + i}.png`),
      encodePng({ width: 8, height: 6, data }),
    )
  }
  const db = openLibrary(file)
  db.prepare("INSERT INTO datasets (name) VALUES ('Tiny')").run()
  db.prepare("INSERT INTO subjects (dataset_id, code) VALUES (1, 'sub01')").run()
  clipId = Number(
    db
      .prepare(
        `INSERT INTO clips (dataset_id, subject_id, name, source_kind, source_path, fps, frame_count,
           first_frame, width, height) VALUES (1, 1, 'EP01_01', 'frames', ?, 200, 5, 101, 8, 6)`,
      )
      .run(folder).lastInsertRowid,
  )
  for (let n = 101; n <= 105; n++) {
    db.prepare('INSERT INTO frames (clip_id, number, file) VALUES (?, ?, ?)').run(
      clipId,
      n,
      `img${n}.png`,
    )
  }
  db.close()
  engine = createEngine({ libraryPath: file })
})
afterAll(() => {
  engine.close()
  cleanup()
})

describe('clips.cacheFrames', () => {
  it('caches every frame of the clip in a worker and records the keys', async () => {
    const changes: Job[] = []
    const off = engine.on('job.changed', (job) => changes.push(job))
    const started = await engine.call('clips.cacheFrames', { clipIds: [clipId] })
    expect(started).toMatchObject({ ok: true, value: { kind: 'clips.cacheFrames' } })
    const job = await engine.jobs.whenSettled((started as { value: Job }).value.id)
    off()
    expect(job.status).toBe('succeeded')
    expect(job.result).toEqual({ clips: 1, frames: 5 })
    expect(changes.at(-1)?.progress).toMatchObject({ done: 5, total: 5 })

    const detail = await engine.call('clips.get', { id: clipId })
    const frames = (detail as { value: ClipDetail }).value.frames
    expect(frames.map((f) => f.number)).toEqual([101, 102, 103, 104, 105])
    expect(new Set(frames.map((f) => f.key)).size).toBe(5)
    for (const frame of frames) {
      expect(fs.existsSync(resolveFramePath(engine.frameCacheDir, frame.key))).toBe(true)
    }
  })

  it('refuses clips that do not exist before starting anything', async () => {
    expect(await engine.call('clips.cacheFrames', { clipIds: [clipId, 4242] })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    })
    const db = new Database(file, { readonly: true })
    expect(db.prepare('SELECT count(*) FROM jobs').pluck().get()).toBe(1)
    db.close()
  })
})
