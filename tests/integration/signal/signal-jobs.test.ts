import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Job } from '../../../src/shared/domain'
import type {
  ApexJobResult,
  FillMissingApexResult,
  MagnifyJobResult,
} from '../../../src/shared/signal'
import { createEngine, type Engine } from '../../../src/engine/api/engine'
import { importCasme2 } from '../../../src/engine/datasets/import/casme2'
import { generateSyntheticDataset } from '../../../src/engine/datasets/synthetic/generate'
import { openLibrary, type LibraryDb } from '../../../src/engine/db/open-library'
import { readCachedFrame, resolveFramePath } from '../../../src/engine/media/frame-cache'
import { spotClipApex } from '../../../src/engine/ml/data/apex-spotting'
import { readClipImages } from '../../../src/engine/ml/data/clip-images'
import {
  cachedMagnifiedFrames,
  magnifyParamsKey,
  TRAINING_MAGNIFICATION,
} from '../../../src/engine/ml/data/magnified-frames'
import { magnifyClipIntoCache } from '../../../src/engine/signal-jobs/magnified-cache'
import { resolveMagnifySettings } from '../../../src/engine/signal-jobs/settings'
import { callOk } from '../../helpers/engine'
import { tempDir } from '../../helpers/temp'

/*
 * The signal jobs through the real engine: contract call → job row → forked worker →
 * frame cache and tables, on a small synthetic CASME II release (64 px, 2 clips).
 */

const { dir, cleanup } = tempDir()
let engine: Engine
let db: LibraryDb
let clipA: { id: number; frameCount: number }
let clipB: { id: number; onset: number; offset: number }
let coderId: number

beforeAll(async () => {
  const synthetic = await generateSyntheticDataset({
    outDir: path.join(dir, 'release'),
    format: 'casme2',
    subjects: 1,
    clipsPerSubject: 2,
    seed: 5,
    size: 64,
  })
  const library = path.join(dir, 'library.sqlite')
  db = openLibrary(library)
  await importCasme2(db, {
    sheet: synthetic.sheetPath,
    framesRoot: synthetic.framesRoot,
    dataset: 'Synthetic',
  })
  const clips = db.prepare('SELECT id, frame_count AS frameCount FROM clips ORDER BY id').all() as {
    id: number
    frameCount: number
  }[]
  clipA = clips[0]
  const marker = db
    .prepare('SELECT coder_id AS coderId, onset, offset FROM markers WHERE clip_id = ?')
    .get(clips[1].id) as { coderId: number; onset: number; offset: number }
  coderId = marker.coderId
  clipB = { id: clips[1].id, onset: marker.onset, offset: marker.offset }
  engine = createEngine({ libraryPath: library })
})
afterAll(() => {
  engine?.close()
  db?.close()
  cleanup()
})

async function settle(started: Job): Promise<Job> {
  const job = await engine.jobs.whenSettled(started.id)
  expect(job.status, JSON.stringify(job.error)).toBe('succeeded')
  return job
}

function magnifiedRows(clipId: number) {
  return db
    .prepare(
      'SELECT params_key AS paramsKey, number, cache_key AS key, created_at AS createdAt FROM magnified_frames WHERE clip_id = ? ORDER BY params_key, number',
    )
    .all(clipId)
}

describe('signal.magnify and signal.magnified', () => {
  it('magnifies every frame into the frame cache in a worker, with progress, then answers from the cache', async () => {
    expect(await callOk(engine, 'signal.magnified', { clipId: clipA.id })).toBeNull()
    const progress: number[] = []
    const off = engine.on('job.changed', (job) => job.progress && progress.push(job.progress.done))
    const job = await settle(await callOk(engine, 'signal.magnify', { clipId: clipA.id }))
    off()
    const result = job.result as MagnifyJobResult
    expect(result.clips).toEqual([
      expect.objectContaining({ clipId: clipA.id, frames: clipA.frameCount, cached: false }),
    ])
    expect(progress.at(-1)).toBe(clipA.frameCount)

    const magnified = await callOk(engine, 'signal.magnified', { clipId: clipA.id })
    expect(magnified).not.toBeNull()
    const raw = db
      .prepare('SELECT number FROM frames WHERE clip_id = ? ORDER BY number')
      .pluck()
      .all(clipA.id)
    expect(magnified!.frames.map((f) => f.number)).toEqual(raw)
    expect(magnified!.settings).toEqual(resolveMagnifySettings({}))
    for (const f of magnified!.frames) {
      expect(fs.existsSync(resolveFramePath(engine.frameCacheDir, f.key))).toBe(true)
    }
    // Frame 0 comes out unchanged (the filter starts there); later frames are amplified.
    const images = await readClipImages(db, clipA.id, engine.frameCacheDir)
    const first = await readCachedFrame(engine.frameCacheDir, magnified!.frames[0].key)
    expect(Buffer.from(first.data).equals(Buffer.from(images.images[0].data))).toBe(true)
    const middle = Math.floor(images.numbers.length / 2)
    const later = await readCachedFrame(engine.frameCacheDir, magnified!.frames[middle].key)
    expect(Buffer.from(later.data).equals(Buffer.from(images.images[middle].data))).toBe(false)
  })

  it('does no work the second time: the job says cached and the rows are untouched', async () => {
    const before = magnifiedRows(clipA.id)
    const job = await settle(await callOk(engine, 'signal.magnify', { clipId: clipA.id }))
    expect((job.result as MagnifyJobResult).clips[0]).toMatchObject({ cached: true })
    expect(magnifiedRows(clipA.id)).toEqual(before)
  })

  it('is the training pipeline’s cache: its key frames come from these rows without reading the clip', async () => {
    const magnified = await callOk(engine, 'signal.magnified', { clipId: clipA.id })
    expect(magnified!.paramsKey).toBe(magnifyParamsKey(TRAINING_MAGNIFICATION))
    const numbers = magnified!.frames.slice(3, 6).map((f) => f.number)
    const frames = await cachedMagnifiedFrames(db, engine.frameCacheDir, clipA.id, numbers, () => {
      throw new Error('the clip was read again')
    })
    for (const [i, n] of numbers.entries()) {
      const ours = await readCachedFrame(engine.frameCacheDir, magnified!.frames[3 + i].key)
      expect(Buffer.from(frames.get(n)!.data).equals(Buffer.from(ours.data))).toBe(true)
    }
  })

  it('caches other settings separately and recomputes only for them', async () => {
    const params = { alpha: 20, r1: 0.5, r2: 0.1 }
    expect(await callOk(engine, 'signal.magnified', { clipId: clipA.id, params })).toBeNull()
    const job = await settle(
      await callOk(engine, 'signal.magnify', { clipId: clipA.id, ...params }),
    )
    const result = job.result as MagnifyJobResult
    expect(result.clips[0]).toMatchObject({ cached: false, frames: clipA.frameCount })
    const other = await callOk(engine, 'signal.magnified', { clipId: clipA.id, params })
    const standard = await callOk(engine, 'signal.magnified', { clipId: clipA.id })
    expect(other!.paramsKey).not.toBe(standard!.paramsKey)
    expect(other!.frames[5].key).not.toBe(standard!.frames[5].key)
  })

  it('answers null again when a cached PNG has gone from the frame cache', async () => {
    const magnified = await callOk(engine, 'signal.magnified', { clipId: clipA.id })
    const file = resolveFramePath(engine.frameCacheDir, magnified!.frames[2].key)
    const saved = fs.readFileSync(file)
    fs.rmSync(file)
    expect(await callOk(engine, 'signal.magnified', { clipId: clipA.id })).toBeNull()
    fs.writeFileSync(file, saved)
  })

  it('stops on cancel before writing anything', async () => {
    const abort = new AbortController()
    abort.abort()
    const settings = resolveMagnifySettings({ alpha: 3 })
    await expect(
      magnifyClipIntoCache(db, engine.frameCacheDir, clipB.id, settings, { signal: abort.signal }),
    ).rejects.toMatchObject({ code: 'cancelled' })
    expect(magnifiedRows(clipB.id)).toEqual([])
  })

  it('rejects bad settings and unknown clips', async () => {
    for (const input of [
      { clipId: clipA.id, alpha: -1 },
      { clipId: clipA.id, r1: 0 },
      { clipId: clipA.id, r1: 1.5 },
      { clipId: clipA.id, chromAttenuation: 'a lot' },
      { clipId: clipA.id, beta: 1 },
      { clipId: clipA.id, r1: 0.05, r2: 0.4 },
    ]) {
      const outcome = await engine.call('signal.magnify', input)
      expect(outcome, JSON.stringify(input)).toMatchObject({
        ok: false,
        error: { code: 'invalid_input' },
      })
    }
    expect(await engine.call('signal.magnify', { clipId: 999 })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    })
    expect(
      await engine.call('signal.magnified', { clipId: clipA.id, params: { gamma: 2 } }),
    ).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    })
  })
})

describe('signal.apex and signal.apexCurve', () => {
  it('computes the curve in a worker, as the training pipeline spots it, and caches it', async () => {
    expect(await callOk(engine, 'signal.apexCurve', { clipId: clipA.id })).toBeNull()
    const job = await settle(await callOk(engine, 'signal.apex', { clipId: clipA.id }))
    const curve = await callOk(engine, 'signal.apexCurve', { clipId: clipA.id })
    expect(curve).not.toBeNull()
    expect(curve!.numbers).toHaveLength(clipA.frameCount)
    expect(curve!.scores).toHaveLength(clipA.frameCount)
    const images = await readClipImages(db, clipA.id, engine.frameCacheDir)
    expect(curve!.apexFrame).toBe(spotClipApex(images))
    expect(curve!.numbers[curve!.apexIndex]).toBe(curve!.apexFrame)
    expect(Math.max(...curve!.scores)).toBe(curve!.scores[curve!.apexIndex])
    expect((job.result as ApexJobResult).clips).toEqual([
      { clipId: clipA.id, apexFrame: curve!.apexFrame, cached: false },
    ])

    const again = await settle(await callOk(engine, 'signal.apex', { clipId: clipA.id }))
    expect((again.result as ApexJobResult).clips[0].cached).toBe(true)
    expect(await callOk(engine, 'signal.apexCurve', { clipId: clipA.id })).toEqual(curve)
  })

  it('gives the pass band in Hz of the IIR filter at the clip’s frame rate', async () => {
    const band = await callOk(engine, 'signal.passBand', { fps: 200 })
    expect(band).toMatchObject({ fps: 200, r1: 0.4, r2: 0.05 })
    // −3 dB points of the band-pass (tests/unit/signal/temporal.test.ts), and the
    // often-quoted 1.6–16.6 Hz: the cut-offs of its two low-passes alone.
    expect(band.lowHz).toBeCloseTo(1.3801, 3)
    expect(band.highHz).toBeCloseTo(19.7664, 3)
    expect(band.slowCutoffHz).toBeCloseTo(1.633, 3)
    expect(band.fastCutoffHz).toBeCloseTo(16.626, 3)
    const slow = await callOk(engine, 'signal.passBand', { fps: 100 })
    expect(slow.lowHz).toBeCloseTo(band.lowHz / 2, 6)
    for (const input of [{ fps: 0 }, { fps: 200, r1: 0.05, r2: 0.4 }, { fps: 200, r3: 1 }]) {
      expect(await engine.call('signal.passBand', input)).toMatchObject({
        ok: false,
        error: { code: 'invalid_input' },
      })
    }
  })
})

describe('signal.fillMissingApex', () => {
  it('spots the apex between onset and offset of rows without one and stores it as estimated, audited', async () => {
    db.prepare("UPDATE audit_context SET source = 'test' WHERE id = 1").run()
    db.prepare('UPDATE markers SET apex = NULL WHERE clip_id = ?').run(clipB.id)
    const job = await settle(await callOk(engine, 'signal.fillMissingApex', { datasetId: 1 }))
    const result = job.result as FillMissingApexResult
    const marker = db
      .prepare('SELECT apex, apex_estimated AS estimated FROM markers WHERE clip_id = ?')
      .get(clipB.id) as { apex: number; estimated: number }
    expect(result).toMatchObject({ datasetId: 1, clips: 1, cachedCurves: 0 })
    expect(result.filled).toEqual([{ clipId: clipB.id, coderId, apex: marker.apex }])
    expect(marker.estimated).toBe(1)
    const images = await readClipImages(db, clipB.id, engine.frameCacheDir)
    expect(marker.apex).toBe(spotClipApex(images, { low: clipB.onset, high: clipB.offset }))
    const audit = db
      .prepare('SELECT source, after FROM audit WHERE clip_id = ? ORDER BY id DESC LIMIT 1')
      .get(clipB.id) as { source: string; after: string }
    expect(audit.source).toBe('apex-spotting')
    expect(JSON.parse(audit.after)).toMatchObject({ apex: marker.apex, apex_estimated: 1 })
    // The audit context is left as it was.
    expect(db.prepare('SELECT source FROM audit_context').pluck().get()).toBe('test')

    // Nothing is missing now: a second run stores nothing; the curve was cached meanwhile.
    const again = await settle(await callOk(engine, 'signal.fillMissingApex', { datasetId: 1 }))
    expect(again.result).toMatchObject({ clips: 0, filled: [] })
    expect(await callOk(engine, 'signal.apexCurve', { clipId: clipB.id })).not.toBeNull()
  })

  it('refuses unknown datasets and coders', async () => {
    expect(await engine.call('signal.fillMissingApex', { datasetId: 99 })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    })
    expect(
      await engine.call('signal.fillMissingApex', { datasetId: 1, coderId: 99 }),
    ).toMatchObject({ ok: false, error: { code: 'not_found' } })
  })
})
