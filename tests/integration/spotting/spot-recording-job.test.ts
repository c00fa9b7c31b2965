import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SpotRecordingResult } from '../../../src/shared/spot-recording'
import { createEngine, type Engine } from '../../../src/engine/api/engine'
import { writeLongRecording } from '../../../src/engine/datasets/synthetic/long-recording'
import { callOk } from '../../helpers/engine'
import { tempDir } from '../../helpers/temp'

/*
 * `spotting.spotRecording` through the real engine: contract call → checks → job row →
 * forked worker → ffmpeg decode, spotting, and the recording stored in the SQLite file
 * whole or not at all.
 */

const { dir, cleanup } = tempDir()
const library = path.join(dir, 'library.sqlite')
const video = path.join(dir, 'p03.mp4')
const broken = path.join(dir, 'broken.mp4')
let engine: Engine

beforeAll(async () => {
  await writeLongRecording({
    seed: 31,
    seconds: 10,
    fps: 50,
    width: 160,
    height: 120,
    micro: 3,
    macro: 1,
    blinks: 1,
    out: video,
  })
  fs.writeFileSync(broken, 'not a video')
  engine = createEngine({ libraryPath: library })
}, 120_000)
afterAll(() => {
  engine?.close()
  cleanup()
})

function count(table: 'recordings' | 'clips' | 'datasets' | 'jobs'): number {
  const db = new Database(library, { readonly: true })
  try {
    return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n
  } finally {
    db.close()
  }
}

describe('spotting.spotRecording', () => {
  it('refuses a missing file and a relative path before any job is queued', async () => {
    const missing = await engine.call('spotting.spotRecording', {
      video: path.join(dir, 'nowhere.mp4'),
      dataset: 'Interviews',
    })
    expect(missing).toMatchObject({
      ok: false,
      error: { code: 'not_found', details: { field: 'video' } },
    })
    expect(!missing.ok && missing.error.message).toContain('nowhere.mp4')
    const relative = await engine.call('spotting.spotRecording', {
      video: 'p03.mp4',
      dataset: 'Interviews',
    })
    expect(relative).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
    expect(count('jobs')).toBe(0)
  })

  it('fails on a file that is no video, naming it, and leaves the library as it was', async () => {
    const started = await callOk(engine, 'spotting.spotRecording', {
      video: broken,
      dataset: 'Interviews',
      faceDetection: false,
    })
    const job = await engine.jobs.whenSettled(started.id)
    expect(job.status).toBe('failed')
    expect(job.error?.message).toContain('broken.mp4')
    expect([count('datasets'), count('recordings'), count('clips')]).toEqual([0, 0, 0])
  })

  it('spots a recording into a dataset, then refuses the same recording twice', async () => {
    const totals: number[] = []
    const off = engine.on('job.changed', (job) => job.progress && totals.push(job.progress.total))
    const started = await callOk(engine, 'spotting.spotRecording', {
      video,
      dataset: 'Interviews',
      subject: 'p03',
      faceDetection: false,
    })
    const job = await engine.jobs.whenSettled(started.id)
    off()
    expect(job.status, JSON.stringify(job.error)).toBe('succeeded')
    // Progress counts frames against the container's count before the end.
    expect(totals).toContain(500)
    const result = job.result as SpotRecordingResult
    expect(result).toMatchObject({ frames: 500, fps: 50, face: 'centred' })
    expect(result.clipIds.length).toBeGreaterThan(0)
    expect(count('recordings')).toBe(1)
    const coder = await callOk(engine, 'coders.create', { name: 'Ann' })
    const queue = await callOk(engine, 'spotting.candidates', {
      coderId: coder.id,
      datasetId: result.datasetId,
    })
    expect(queue.map((c) => c.clipId)).toEqual(result.clipIds)
    expect(new Set(queue.map((c) => c.subject))).toEqual(new Set(['p03']))

    const again = await engine.call('spotting.spotRecording', { video, dataset: 'Interviews' })
    expect(again).toMatchObject({
      ok: false,
      error: { code: 'conflict', details: { file: video } },
    })
    expect(count('recordings')).toBe(1)
  })

  it('looks for the face by default and records what it used with the recording', async () => {
    const started = await callOk(engine, 'spotting.spotRecording', {
      video,
      dataset: 'Interviews with faces',
    })
    const job = await engine.jobs.whenSettled(started.id)
    expect(job.status, JSON.stringify(job.error)).toBe('succeeded')
    const result = job.result as SpotRecordingResult
    const db = new Database(library, { readonly: true })
    const stored = db
      .prepare('SELECT spotting FROM recordings WHERE id = ?')
      .pluck()
      .get(result.recordingId) as string
    db.close()
    expect((JSON.parse(stored) as { face: { source: string } }).face.source).toBe(result.face)
  })
})
