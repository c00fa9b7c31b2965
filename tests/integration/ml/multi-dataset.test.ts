import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { datasetIdsOf } from '../../../src/cli/commands/ml-job'
import { createEngine, type Engine } from '../../../src/engine/api/engine'
import { openLibrary, type LibraryDb } from '../../../src/engine/db/open-library'
import { loadTrainingSet } from '../../../src/engine/ml/data/training-set'
import { evaluateModel } from '../../../src/engine/ml/eval/evaluate-model'
import type { CrossValidationRecord } from '../../../src/engine/ml/train/training-run'
import type { SyntheticDataset } from '../../../src/engine/datasets/synthetic/generate'
import { callOk } from '../../helpers/engine'
import { tempDir } from '../../helpers/temp'
import { addSyntheticDataset } from './fixtures'

/*
 * Training on two datasets at once: two small synthetic CASME II-style datasets in one
 * library, both with subjects sub01–sub03. Dataset B also has an adjudicated layer that
 * labels every clip AU 43 only (an AU the generator never draws), so which layer each
 * dataset's clips were labelled from shows in the labels.
 */

const { dir, cleanup } = tempDir()
const file = path.join(dir, 'library.sqlite')
const frameCacheDir = `${file}.frames`
const CONSENSUS_AU = 43
let a: { datasetId: number; dataset: SyntheticDataset }
let b: { datasetId: number; dataset: SyntheticDataset }
let importCoderId: number
let consensusId: number
let engine: Engine

/** Clip ids of a dataset by subject code. */
function clipsBySubject(db: LibraryDb, datasetId: number): Map<string, number[]> {
  const rows = db
    .prepare(
      `SELECT s.code, c.id FROM clips c JOIN subjects s ON s.id = c.subject_id
       WHERE c.dataset_id = ? ORDER BY c.id`,
    )
    .all(datasetId) as { code: string; id: number }[]
  const map = new Map<string, number[]>()
  for (const r of rows) map.set(r.code, [...(map.get(r.code) ?? []), r.id])
  return map
}

/** Every subject key of both datasets with its clip ids. */
function clipsBySubjectKey(): Map<string, number[]> {
  const db = openLibrary(file, { readonly: true })
  try {
    const map = new Map<string, number[]>()
    for (const { datasetId } of [a, b]) {
      for (const [code, ids] of clipsBySubject(db, datasetId)) map.set(`${datasetId}/${code}`, ids)
    }
    return map
  } finally {
    db.close()
  }
}

beforeAll(async () => {
  a = await addSyntheticDataset(file, dir, 'lab A', { subjects: 3, clips: 2, seed: 5 })
  b = await addSyntheticDataset(file, dir, 'lab B', { subjects: 3, clips: 2, seed: 6 })
  const db = openLibrary(file)
  try {
    importCoderId = db
      .prepare("SELECT id FROM coders WHERE kind = 'import'")
      .pluck()
      .get() as number
    consensusId = Number(
      db.prepare("INSERT INTO coders (name, kind) VALUES ('Consensus B', 'adjudicated')").run()
        .lastInsertRowid,
    )
    db.prepare(
      `INSERT INTO markers (clip_id, coder_id, onset, apex, offset, apex_estimated)
       SELECT m.clip_id, ?, m.onset, m.apex, m.offset, m.apex_estimated FROM markers m
       JOIN clips c ON c.id = m.clip_id WHERE c.dataset_id = ? AND m.coder_id = ?`,
    ).run(consensusId, b.datasetId, importCoderId)
    db.prepare(
      `INSERT INTO au_labels (clip_id, coder_id, au) SELECT id, ?, ? FROM clips WHERE dataset_id = ?`,
    ).run(consensusId, CONSENSUS_AU, b.datasetId)
  } finally {
    db.close()
  }
  engine = createEngine({ libraryPath: file })
}, 180_000)
afterAll(() => {
  engine?.close()
  cleanup()
})

describe('training on several datasets', () => {
  it('pools the clips of both datasets, each labelled by its own layer, subjects kept apart', async () => {
    const db = openLibrary(file)
    try {
      const set = await loadTrainingSet(db, frameCacheDir, {
        datasetIds: [a.datasetId, b.datasetId],
        minPositives: 1,
        resizeSize: 16,
      })
      expect(set.datasetIds).toEqual([a.datasetId, b.datasetId])
      expect(set.labelLayers).toEqual([
        {
          datasetId: a.datasetId,
          coder: { id: importCoderId, name: 'CASME II sheet', kind: 'import' },
        },
        {
          datasetId: b.datasetId,
          coder: { id: consensusId, name: 'Consensus B', kind: 'adjudicated' },
        },
      ])
      const all = [
        ...clipsBySubject(db, a.datasetId).values(),
        ...clipsBySubject(db, b.datasetId).values(),
      ]
      expect(set.clips.map((c) => c.clipId).sort((x, y) => x - y)).toEqual(
        all.flat().sort((x, y) => x - y),
      )
      expect(set.clips).toHaveLength(12)

      // A's clips carry the sheet's AUs, B's only the adjudicated AU 43.
      const at = set.auList.indexOf(String(CONSENSUS_AU))
      expect(at).toBeGreaterThanOrEqual(0)
      expect(set.auCounts[String(CONSENSUS_AU)]).toBe(6)
      for (const clip of set.clips) {
        const labelled = set.auList.filter((_, i) => clip.labels[i] === 1)
        if (clip.datasetId === b.datasetId) {
          expect(labelled).toEqual([String(CONSENSUS_AU)])
        } else {
          const truth = a.dataset.clips.find(
            (t) => t.subject === clip.subject && t.name === clip.name,
          )!
          expect(labelled).toEqual(
            [...new Set(truth.labels.map((l) => String(l.au)))].sort(
              (x, y) => Number(x) - Number(y),
            ),
          )
        }
      }
      // AU selection counts the pooled clips: every AU's count sums the two datasets'.
      const sheetAus = a.dataset.clips.flatMap((c) => [...new Set(c.labels.map((l) => l.au))])
      for (const [au, n] of Object.entries(set.auCounts)) {
        if (au !== String(CONSENSUS_AU))
          expect(n).toBe(sheetAus.filter((x) => String(x) === au).length)
      }

      // Same subject codes, different people: six subject keys.
      const keys = new Set(set.clips.map((c) => c.subjectKey))
      expect([...keys].sort()).toEqual(
        [a, b]
          .flatMap(({ datasetId }) => ['sub01', 'sub02', 'sub03'].map((s) => `${datasetId}/${s}`))
          .sort(),
      )
    } finally {
      db.close()
    }
  }, 180_000)

  it('trains on both (folds never split a subject), records both, re-evaluates either record', async () => {
    const job = await callOk(engine, 'ml.train', {
      datasetIds: [a.datasetId, b.datasetId],
      preset: 'tiny',
      variant: 'baseline',
      folds: 2,
      seed: 3,
      epochs: 1,
      batchSize: 2,
      minPositives: 2,
      backend: 'wasm',
      name: 'pooled',
    })
    const done = await engine.jobs.whenSettled(job.id)
    expect(done.status, JSON.stringify(done.error)).toBe('succeeded')
    const result = done.result as { modelId: number; outDir: string }

    const record = JSON.parse(
      fs.readFileSync(path.join(result.outDir, 'cross-validation.json'), 'utf8'),
    ) as CrossValidationRecord
    expect(record.datasetIds).toEqual([a.datasetId, b.datasetId])
    expect(record.labelLayers.map((l) => l.coder.id)).toEqual([importCoderId, consensusId])
    const subjects = clipsBySubjectKey()
    // sub01 of A and sub01 of B are two subjects of the assignment, not one.
    expect(Object.keys(record.foldAssignment).sort()).toEqual([...subjects.keys()].sort())
    // Each fold tests exactly the clips of the subjects assigned to it; together all clips.
    const tested = new Map<number, number>()
    for (const p of record.predictions) {
      const expected = [...subjects]
        .filter(([key]) => record.foldAssignment[key] === p.fold)
        .flatMap(([, ids]) => ids)
      expect([...p.clipIds].sort((x, y) => x - y)).toEqual(expected.sort((x, y) => x - y))
      for (const id of p.clipIds) tested.set(id, p.fold)
    }
    expect(tested.size).toBe(12)
    for (const ids of subjects.values()) {
      expect(new Set(ids.map((id) => tested.get(id))).size).toBe(1)
    }

    // The registry's config lists both datasets and their label layers.
    const model = await callOk(engine, 'models.get', { id: result.modelId })
    const config = model.config as { datasetIds: number[]; labelLayers: { datasetId: number }[] }
    expect(config.datasetIds).toEqual([a.datasetId, b.datasetId])
    expect(config.labelLayers.map((l) => l.datasetId)).toEqual([a.datasetId, b.datasetId])
    // Clips per dataset, as the model page lists them: 3 subjects × 2 clips each.
    expect((model.config as { clipsPerDataset: unknown }).clipsPerDataset).toEqual({
      [a.datasetId]: 6,
      [b.datasetId]: 6,
    })

    // ml.evaluate re-tests both datasets' clips with the stored layers and folds.
    const evaluation = await callOk(engine, 'ml.evaluate', { modelId: result.modelId })
    const evaluated = await engine.jobs.whenSettled(evaluation.id)
    expect(evaluated.status, JSON.stringify(evaluated.error)).toBe('succeeded')
    const again = evaluated.result as { metrics: { meanF1: number }; unassignedClips: number }
    expect(again.unassignedClips).toBe(0)
    expect(again.metrics.meanF1).toBeCloseTo(record.metrics.meanF1, 6)

    // A record from before datasets were pooled (one datasetId, folds keyed by subject code)
    // still re-evaluates: on that dataset's clips, with its coder.
    const legacyDir = path.join(dir, 'legacy-model')
    fs.cpSync(path.join(result.outDir, 'folds'), path.join(legacyDir, 'folds'), { recursive: true })
    const { datasetIds: _ids, labelLayers: _layers, ...rest } = record
    const legacy = {
      ...rest,
      datasetId: a.datasetId,
      coder: record.labelLayers[0].coder,
      foldAssignment: Object.fromEntries(
        Object.entries(record.foldAssignment)
          .filter(([key]) => key.startsWith(`${a.datasetId}/`))
          .map(([key, fold]) => [key.slice(key.indexOf('/') + 1), fold]),
      ),
    }
    fs.writeFileSync(path.join(legacyDir, 'cross-validation.json'), JSON.stringify(legacy))
    const db = openLibrary(file)
    try {
      const old = await evaluateModel(
        { modelDir: legacyDir, backend: 'wasm' },
        { db, frameCacheDir, signal: new AbortController().signal, progress: () => undefined },
      )
      expect(old.unassignedClips).toBe(0)
      const rewritten = JSON.parse(
        fs.readFileSync(path.join(legacyDir, 'cross-validation.json'), 'utf8'),
      ) as typeof legacy
      expect(rewritten.datasetId).toBe(a.datasetId)
      const aClips = [...clipsBySubject(db, a.datasetId).values()].flat().sort((x, y) => x - y)
      expect(rewritten.predictions.flatMap((p) => p.clipIds).sort((x, y) => x - y)).toEqual(aClips)
    } finally {
      db.close()
    }
  }, 300_000)

  it('refuses a missing or repeated dataset, naming it', async () => {
    const run = { preset: 'tiny', backend: 'wasm' } as const
    const base = { ...run, variant: 'baseline' } as const
    const missing = await engine.call('ml.train', { ...base, datasetIds: [a.datasetId, 9999] })
    expect(missing).toMatchObject({ ok: false, error: { code: 'not_found' } })
    expect(!missing.ok && missing.error.message).toContain('9999')
    const ablation = await engine.call('ml.ablation', {
      ...run,
      variants: ['baseline'],
      datasetIds: [9998, b.datasetId],
    })
    expect(!ablation.ok && ablation.error.message).toContain('9998')
    const twice = await engine.call('ml.train', { ...base, datasetIds: [b.datasetId, b.datasetId] })
    expect(twice).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
    expect(!twice.ok && twice.error.message).toContain(`lists dataset ${b.datasetId} twice`)
    const none = await engine.call('ml.train', { ...base, datasetIds: [] })
    expect(none).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
  })

  it('reads --dataset as a comma-separated list of names or ids', () => {
    expect(datasetIdsOf(file, { dataset: 'lab A,lab B' })).toEqual([a.datasetId, b.datasetId])
    expect(datasetIdsOf(file, { dataset: ` ${b.datasetId} , lab A` })).toEqual([
      b.datasetId,
      a.datasetId,
    ])
    expect(() => datasetIdsOf(file, { dataset: 'lab A,lab C' })).toThrow(/"lab C"/)
    expect(() => datasetIdsOf(file, { dataset: 'lab A,lab A' })).toThrow(/twice/)
    expect(() => datasetIdsOf(file, {})).toThrow(/--dataset is required \(the library has 2/)
  })
})
