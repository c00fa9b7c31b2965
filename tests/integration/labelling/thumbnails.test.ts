import path from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createEngine, type Engine } from '../../../src/engine/api/engine'
import { generateSyntheticDataset } from '../../../src/engine/datasets/synthetic/generate'
import type { LibraryPage } from '../../../src/shared/coding'
import type { Job } from '../../../src/shared/domain'
import { tempDir } from '../../helpers/temp'

/*
 * After an import succeeds the engine queues a `clips.thumbnails` job by itself; it caches
 * one frame per clip (the coded apex, else the middle frame) and nothing more, so every card
 * of the library has a picture without anyone preparing the frames.
 */

const { dir, cleanup } = tempDir()
const file = path.join(dir, 'library.sqlite')
let engine: Engine

beforeAll(() => {
  engine = createEngine({ libraryPath: file })
})
afterAll(() => {
  engine.close()
  cleanup()
})

function query<T>(sql: string, ...params: unknown[]): T[] {
  const db = new Database(file, { readonly: true })
  try {
    return db.prepare(sql).all(...params) as T[]
  } finally {
    db.close()
  }
}

/** The job of `kind` that follows the import, once the runner has queued it. */
async function followingJob(kind: string, jobs: Job[]): Promise<Job> {
  await expect.poll(() => jobs.some((j) => j.kind === kind), { timeout: 60_000 }).toBe(true)
  return jobs.find((j) => j.kind === kind) as Job
}

describe('thumbnails after an import', () => {
  it('caches each clip’s apex frame in a job nobody started by hand', async () => {
    const release = await generateSyntheticDataset({
      outDir: path.join(dir, 'release'),
      format: 'casme2',
      subjects: 2,
      clipsPerSubject: 2,
      seed: 5,
      size: 32,
    })
    const seen: Job[] = []
    const off = engine.on('job.changed', (job) => seen.push(job))
    const started = await engine.call('datasets.import', {
      format: 'casme2',
      sheet: release.sheetPath,
      frames: release.framesRoot,
      dataset: 'Thumbs',
    })
    expect(started.ok).toBe(true)
    const imported = await engine.jobs.whenSettled((started as { value: Job }).value.id)
    expect(imported.status).toBe('succeeded')
    const thumbs = await engine.jobs.whenSettled((await followingJob('clips.thumbnails', seen)).id)
    off()
    expect(thumbs.status).toBe('succeeded')
    expect(thumbs.result).toEqual({ clips: 4 })

    // One cached frame per clip, and it is the apex the sheet coded.
    const cached = query<{ clipId: number; number: number; apex: number }>(
      `SELECT f.clip_id AS clipId, f.number, m.apex FROM frames f
       JOIN markers m ON m.clip_id = f.clip_id WHERE f.cache_key IS NOT NULL ORDER BY f.clip_id`,
    )
    expect(cached).toHaveLength(4)
    for (const row of cached) expect(row.number).toBe(row.apex)

    const datasetId = (imported.result as { datasetId: number }).datasetId
    const page = await engine.call('library.page', { datasetId })
    const cards = (page as { value: LibraryPage }).value.clips
    expect(cards.every((c) => c.thumbnailKey !== null && !c.cached)).toBe(true)
  })

  it('skips clips that already have a picture when run again', async () => {
    const datasetId = query<{ id: number }>(`SELECT id FROM datasets WHERE name = 'Thumbs'`)[0].id
    const again = engine.jobs.start('clips.thumbnails', { datasetId })
    const job = await engine.jobs.whenSettled(again.id)
    expect(job.status).toBe('succeeded')
    expect(job.result).toEqual({ clips: 0 })
  })

  it('caches one frame of a video clip, not the whole video', async () => {
    const release = await generateSyntheticDataset({
      outDir: path.join(dir, 'videos'),
      format: 'video',
      subjects: 1,
      clipsPerSubject: 1,
      seed: 6,
      size: 32,
    })
    const seen: Job[] = []
    const off = engine.on('job.changed', (job) => seen.push(job))
    const started = await engine.call('datasets.import', {
      format: 'videos',
      frames: release.clips.map((c) => c.video as string),
      dataset: 'Thumbs of videos',
    })
    expect(started.ok).toBe(true)
    const imported = await engine.jobs.whenSettled((started as { value: Job }).value.id)
    expect(imported.status).toBe('succeeded')
    const thumbs = await engine.jobs.whenSettled((await followingJob('clips.thumbnails', seen)).id)
    off()
    expect(thumbs.status).toBe('succeeded')
    const datasetId = (imported.result as { datasetId: number }).datasetId
    const counts = query<{ frames: number; cached: number }>(
      `SELECT COUNT(*) AS frames, COUNT(f.cache_key) AS cached FROM frames f
       JOIN clips c ON c.id = f.clip_id WHERE c.dataset_id = ?`,
      datasetId,
    )[0]
    expect(counts.frames).toBeGreaterThan(1)
    expect(counts.cached).toBe(1)
  })
})
