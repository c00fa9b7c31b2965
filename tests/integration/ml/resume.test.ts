import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createEngine, type Engine } from '../../../src/engine/api/engine'
import { openLibrary } from '../../../src/engine/db/open-library'
import { ML_JOB_KINDS, trainJobInputSchema } from '../../../src/engine/ml/jobs/schemas'
import type { CrossValidationRecord } from '../../../src/engine/ml/train/training-run'
import { tempDir } from '../../helpers/temp'
import { syntheticLibrary, type SyntheticLibrary } from './fixtures'

let cleanup: () => void
let dir: string
let lib: SyntheticLibrary
let engine: Engine

beforeAll(async () => {
  const t = tempDir()
  cleanup = t.cleanup
  dir = t.dir
  lib = await syntheticLibrary(dir, { subjects: 4, clips: 2, quirks: true })
  engine = createEngine({ libraryPath: lib.file })
}, 120_000)
afterAll(() => {
  engine.close()
  cleanup()
})

function input(outDir: string) {
  return trainJobInputSchema.parse({
    datasetIds: [lib.datasetId],
    preset: 'tiny',
    variant: 'iicl',
    folds: 2,
    seed: 7,
    overrides: { epochs: 3, batchSize: 3 },
    outDir,
    minPositives: 2,
    backend: 'wasm',
  })
}

/** The runs' times the job's saved state holds (see TrainingClock). */
function savedRunsMs(jobId: number): number[] {
  const db = openLibrary(lib.file, { readonly: true })
  try {
    const state = db.prepare('SELECT state FROM jobs WHERE id = ?').pluck().get(jobId) as string
    return (JSON.parse(state) as { trainingRunsMs: number[] }).trainingRunsMs
  } finally {
    db.close()
  }
}

function weights(outDir: string): Float32Array {
  const bytes = fs.readFileSync(path.join(outDir, 'weights.bin'))
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4)
}

describe('the ml.train job (JobRunner, forked worker)', () => {
  it('ends a cancelled and resumed run with the weights of an uninterrupted one', async () => {
    const straightDir = path.join(dir, 'straight')
    const straight = engine.jobs.start(ML_JOB_KINDS.train, input(straightDir))
    const done = await engine.jobs.whenSettled(straight.id)
    expect(done.status, JSON.stringify(done.error)).toBe('succeeded')

    const resumedDir = path.join(dir, 'resumed')
    let cancelled = false
    let jobId = 0
    const off = engine.on('job.changed', (job) => {
      // 3 epochs per run: past fold 1 (its F1 is out) and done ≥ 4, fold 2 has a checkpoint
      // after its first epoch.
      const p = job.progress
      if (job.id === jobId && !cancelled && p?.metrics?.foldF1_1 !== undefined && p.done >= 4) {
        cancelled = true
        engine.jobs.cancel(jobId)
      }
    })
    jobId = engine.jobs.start(ML_JOB_KINDS.train, input(resumedDir)).id
    const stopped = await engine.jobs.whenSettled(jobId)
    off()
    expect(stopped.status).toBe('cancelled')
    expect(fs.existsSync(path.join(resumedDir, 'weights.bin'))).toBe(false)
    expect(fs.existsSync(path.join(resumedDir, 'checkpoint', 'checkpoint.json'))).toBe(true)
    // The cancelled run saved its wall time in the job's state.
    const stoppedRuns = savedRunsMs(jobId)
    expect(stoppedRuns).toHaveLength(1)
    expect(stoppedRuns[0]).toBeGreaterThan(0)
    engine.jobs.resume(jobId)
    const finished = await engine.jobs.whenSettled(jobId)
    expect(finished.status, JSON.stringify(finished.error)).toBe('succeeded')

    const a = weights(straightDir)
    const b = weights(resumedDir)
    expect(b.length).toBe(a.length)
    let worst = 0
    for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]))
    expect(worst).toBeLessThan(1e-5)

    // Folds are stored with the model and never share a subject; metrics land in the library.
    const record = JSON.parse(
      fs.readFileSync(path.join(resumedDir, 'cross-validation.json'), 'utf8'),
    ) as CrossValidationRecord
    expect(new Set(Object.values(record.foldAssignment))).toEqual(new Set([0, 1]))
    const sidecar = JSON.parse(fs.readFileSync(path.join(resumedDir, 'microau-model.json'), 'utf8'))
    expect(sidecar.training.foldAssignment).toEqual(record.foldAssignment)
    expect(sidecar.training.bce).toMatch(/class-balanced/)

    // Training time: the cancelled run's time as its state recorded it plus the resumed run's,
    // in the saved model and in the registry.
    const runs = sidecar.training.trainingRunsMs as number[]
    expect(runs).toHaveLength(2)
    expect(runs[0]).toBe(stoppedRuns[0])
    expect(runs[1]).toBeGreaterThan(0)
    expect(sidecar.training.trainingMs).toBe(runs[0] + runs[1])
    const straightSidecar = JSON.parse(
      fs.readFileSync(path.join(straightDir, 'microau-model.json'), 'utf8'),
    )
    expect(straightSidecar.training.trainingRunsMs).toHaveLength(1)
    expect(straightSidecar.training.trainingMs).toBe(straightSidecar.training.trainingRunsMs[0])
    const models = await engine.call('models.list', {})
    expect(models).toMatchObject({ ok: true })
    const listed = (models as { ok: true; value: { path: string; meanF1: number | null }[] }).value
    expect(listed.map((m) => m.path).sort()).toEqual([resumedDir, straightDir].sort())
    expect(listed[0].meanF1).toBeCloseTo(record.metrics.meanF1, 12)
    const registered = listed.find((m) => m.path === resumedDir) as unknown as { id: number }
    const detail = await engine.call('models.get', { id: registered.id })
    expect(detail).toMatchObject({ ok: true, value: { config: { trainingMs: runs[0] + runs[1] } } })
  }, 300_000)
})
