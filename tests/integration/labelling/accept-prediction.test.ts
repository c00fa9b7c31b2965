import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createEngine, type Engine } from '../../../src/engine/api/engine'
import { openLibrary } from '../../../src/engine/db/open-library'
import { modelIdFor, storePredictions } from '../../../src/engine/ml/infer/predict-dataset'
import { registerModel } from '../../../src/engine/ml/train/model-registry'
import { MODEL_FILES, modelSidecarSchema } from '../../../src/engine/ml/weights/sidecar'
import type { MethodName } from '../../../src/shared/api'
import type { Coder, CoderCodes } from '../../../src/shared/coding'
import { callOk } from '../../helpers/engine'
import { hashLibrary, tempDir } from '../../helpers/temp'
import { saveTinyModel } from '../batch/tiny-model'
import { seedClips } from './seed'

// A real tiny model folder predicting AU 4 and AU 12, written once.
const shared = tempDir()
const modelDir = path.join(shared.dir, 'model')

let engine: Engine
let file: string
let cleanup: () => void
let clipId: number
let otherClip: number
let modelId: number
let coder: Coder
let changed: number[][]

const call = <T>(method: MethodName, input: unknown): Promise<T> =>
  callOk(engine, method, input as never) as Promise<T>

/** The coder's labels and audit entries on the clip, read with a separate connection. */
function stored(clip = clipId) {
  const db = new Database(file, { readonly: true })
  try {
    return {
      labels: db
        .prepare(
          "SELECT au, side, intensity FROM au_labels WHERE clip_id = ? AND coder_id = ? ORDER BY au, ifnull(side, '')",
        )
        .all(clip, coder.id),
      audit: db
        .prepare(
          'SELECT entity, action, source FROM audit WHERE clip_id = ? AND coder_id = ? ORDER BY id',
        )
        .all(clip, coder.id)
        .map((r) => Object.values(r as object).join(':')),
      context: db.prepare('SELECT source FROM audit_context').pluck().get(),
    }
  } finally {
    db.close()
  }
}

beforeAll(async () => {
  await saveTinyModel(modelDir, ['4', '12'])
}, 60_000)
afterAll(() => shared.cleanup())

beforeEach(async () => {
  const t = tempDir()
  cleanup = t.cleanup
  file = path.join(t.dir, 'library.sqlite')
  const db = openLibrary(file)
  ;[clipId, otherClip] = seedClips(db, 'Lab', [
    { subject: 'p01', name: 'clip1' },
    { subject: 'p01', name: 'clip2' },
  ])
  // As the predict job stores them: the model row for its folder, one row per clip and AU.
  const sidecar = modelSidecarSchema.parse(
    JSON.parse(fs.readFileSync(path.join(modelDir, MODEL_FILES.sidecar), 'utf8')),
  )
  modelId = modelIdFor(db, modelDir, sidecar)
  storePredictions(db, modelId, [
    {
      clipId,
      subject: 'p01',
      name: 'clip1',
      frame: 60,
      apexEstimated: true,
      probabilities: { '4': 0.91, '12': 0.08 },
    },
    // The second clip has AU 12 only (a partial prediction).
    {
      clipId: otherClip,
      subject: 'p01',
      name: 'clip2',
      frame: 61,
      apexEstimated: true,
      probabilities: { '12': 0.7 },
    },
  ])
  db.close()
  engine = createEngine({ libraryPath: file })
  changed = []
  engine.on('data.changed', (e) => {
    if (e.entity === 'labels') changed.push(e.ids ?? [])
  })
  coder = await call<Coder>('coders.create', { name: 'Ann' })
})
afterEach(() => {
  engine.close()
  cleanup()
})

describe('predictions.accept', () => {
  it('adds the AU on both sides to the coder’s labels, audited as accepted from the model', async () => {
    const codes = await call<CoderCodes>('predictions.accept', {
      clipId,
      coderId: coder.id,
      modelId,
      au: 4,
    })
    expect(codes).toMatchObject({
      coderId: coder.id,
      labels: [{ au: 4, side: null, intensity: null }],
      canUndo: true,
      canRedo: false,
    })
    expect(stored()).toEqual({
      labels: [{ au: 4, side: null, intensity: null }],
      audit: [`au_label:insert:model:${modelId}`],
      context: 'manual',
    })
    expect(changed).toEqual([[clipId]])
  })

  it('changes nothing when the coder already has the AU, on any side', async () => {
    await call('labels.set', { clipId, coderId: coder.id, au: 4, side: 'R', intensity: 'B' })
    await call('predictions.accept', { clipId, coderId: coder.id, modelId, au: 4 })
    expect(stored()).toMatchObject({
      labels: [{ au: 4, side: 'R', intensity: 'B' }],
      audit: ['au_label:insert:manual'],
    })
    await call('labels.remove', { clipId, coderId: coder.id, au: 4, side: 'R' })
    await call('predictions.accept', { clipId, coderId: coder.id, modelId, au: 4 })
    await call('predictions.accept', { clipId, coderId: coder.id, modelId, au: 4 })
    expect(stored().audit).toEqual([
      'au_label:insert:manual',
      'au_label:delete:manual',
      `au_label:insert:model:${modelId}`,
    ])
  })

  it('is one undo step, and redo puts it back', async () => {
    const ids = { clipId, coderId: coder.id }
    await call('labels.toggle', { ...ids, au: 1 })
    await call('predictions.accept', { ...ids, modelId, au: 12 })
    const undone = await call<CoderCodes>('history.undo', ids)
    expect(undone.labels).toEqual([{ au: 1, side: null, intensity: null }])
    expect(undone).toMatchObject({ canUndo: true, canRedo: true })
    const redone = await call<CoderCodes>('history.redo', ids)
    expect(redone.labels).toEqual([
      { au: 1, side: null, intensity: null },
      { au: 12, side: null, intensity: null },
    ])
    expect(stored().audit).toEqual([
      'au_label:insert:manual',
      `au_label:insert:model:${modelId}`,
      'au_label:delete:undo',
      'au_label:insert:redo',
    ])
  })

  it('refuses an AU without a stored prediction, one the model does not predict, an unknown model or an import coder, writing nothing', async () => {
    const before = hashLibrary(file)
    const missing = await engine.call('predictions.accept', {
      clipId: otherClip,
      coderId: coder.id,
      modelId,
      au: 4,
    })
    expect(missing).toMatchObject({ ok: false, error: { code: 'not_found' } })
    if (!missing.ok) {
      expect(missing.error.message).toContain(`(id ${modelId}) has no prediction of AU4`)
      expect(missing.error.message).toContain(`clip p01/clip2 (id ${otherClip})`)
    }
    const unpredicted = await engine.call('predictions.accept', {
      clipId,
      coderId: coder.id,
      modelId,
      au: 1,
    })
    expect(unpredicted).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
    if (!unpredicted.ok) {
      expect(unpredicted.error.message).toMatch(
        new RegExp(`\\(id ${modelId}\\) does not predict AU1 .*it predicts AU 4, 12\\.`),
      )
    }
    expect(
      await engine.call('predictions.accept', { clipId, coderId: coder.id, modelId: 999, au: 4 }),
    ).toMatchObject({
      ok: false,
      error: { code: 'not_found', message: 'There is no model with id 999.' },
    })
    expect(hashLibrary(file)).toBe(before)
    const db = new Database(file)
    const sheet = Number(
      db.prepare("INSERT INTO coders (name, kind) VALUES ('Sheet', 'import')").run()
        .lastInsertRowid,
    )
    db.close()
    const afterSheet = hashLibrary(file)
    expect(
      await engine.call('predictions.accept', { clipId, coderId: sheet, modelId, au: 4 }),
    ).toMatchObject({ ok: false, error: { code: 'conflict' } })
    expect(hashLibrary(file)).toBe(afterSheet)
    expect(stored()).toEqual({ labels: [], audit: [], context: 'manual' })
    expect(changed).toEqual([])
  })

  it('takes the AUs of the stored predictions when the model folder is gone', async () => {
    const db = openLibrary(file)
    const gone = registerModel(db, {
      name: 'moved away',
      preset: 'tiny',
      variant: 'iicl',
      path: path.join(path.dirname(file), 'no-such-model'),
      config: {},
      metrics: null,
    })
    storePredictions(db, gone, [
      {
        clipId,
        subject: 'p01',
        name: 'clip1',
        frame: 60,
        apexEstimated: true,
        probabilities: { '7': 0.6 },
      },
    ])
    db.close()
    const codes = await call<CoderCodes>('predictions.accept', {
      clipId,
      coderId: coder.id,
      modelId: gone,
      au: 7,
    })
    expect(codes.labels).toEqual([{ au: 7, side: null, intensity: null }])
    expect(stored().audit).toEqual([`au_label:insert:model:${gone}`])
    const refused = await engine.call('predictions.accept', {
      clipId,
      coderId: coder.id,
      modelId: gone,
      au: 4,
    })
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
  })
})
