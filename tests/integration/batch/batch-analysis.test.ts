import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createEngine, type Engine } from '../../../src/engine/api/engine'
import { parseCsv } from '../../../src/engine/datasets/sheets/csv'
import {
  generateSyntheticDataset,
  type SyntheticDataset,
} from '../../../src/engine/datasets/synthetic/generate'
import { openLibrary } from '../../../src/engine/db/open-library'
import { registerModel } from '../../../src/engine/ml/train/model-registry'
import type { Job } from '../../../src/shared/domain'
import type { BatchResult, BatchTable } from '../../../src/shared/ml'
import { runMicroau } from '../../helpers/cli'
import { callOk } from '../../helpers/engine'
import { tempDir } from '../../helpers/temp'
import { saveTinyModel } from './tiny-model'

const AUS = ['1', '4', '12']
const { dir, cleanup } = tempDir()
const libraryPath = path.join(dir, 'library.sqlite')
const modelDir = path.join(dir, 'model')
let synthetic: SyntheticDataset
let engine: Engine
let modelId: number

/** Rows of a table of the library, read with a separate connection. */
function query<T>(sql: string, ...params: unknown[]): T[] {
  const db = new Database(libraryPath, { readonly: true })
  try {
    return db.prepare(sql).all(...params) as T[]
  } finally {
    db.close()
  }
}

/** What a failed batch must leave as it was: the datasets, clips and imports. */
function libraryContents() {
  return {
    datasets: query('SELECT id, name FROM datasets ORDER BY id'),
    clips: query('SELECT id, name FROM clips ORDER BY id'),
    imports: query('SELECT id FROM imports ORDER BY id'),
  }
}

beforeAll(async () => {
  // Two participants × two clips, 48 px at 100 fps (15–30 frames each): a lab folder in little.
  synthetic = await generateSyntheticDataset({
    outDir: path.join(dir, 'lab'),
    subjects: 2,
    clipsPerSubject: 2,
    seed: 8,
    format: 'video',
    size: 48,
    fps: 100,
  })
  await saveTinyModel(modelDir, AUS)
  const db = openLibrary(libraryPath)
  modelId = registerModel(db, {
    name: 'tiny',
    preset: 'tiny',
    variant: 'iicl',
    path: modelDir,
    config: {},
    metrics: null,
  })
  db.close()
  engine = createEngine({ libraryPath })
}, 120_000)
afterAll(() => {
  engine.close()
  cleanup()
})

describe('batch.analyze', () => {
  it('imports a folder of videos, crops, spots, predicts and writes a CSV and an XLSX per clip', async () => {
    const folder = synthetic.framesRoot
    const messages: string[] = []
    const off = engine.on('job.changed', (job) => {
      if (job.kind === 'batch.analyze' && job.progress?.message) messages.push(job.progress.message)
    })
    const started = await callOk(engine, 'batch.analyze', { folder, modelId })
    const job: Job = await engine.jobs.whenSettled(started.id)
    off()
    expect(job.status, JSON.stringify(job.error)).toBe('succeeded')
    const result = job.result as BatchResult & { dataset: string; outDir: string }
    const clips = synthetic.clips.length
    expect(result).toMatchObject({ modelId, clips, dataset: 'videos' })
    expect(result.outDir.startsWith(`${libraryPath}.batch${path.sep}`)).toBe(true)
    expect(job.progress).toMatchObject({ done: job.progress!.total })
    for (const step of ['Importing videos', 'Cropping faces', 'Spotting apexes', 'Predicting AUs'])
      expect(messages).toContain(`${step} ${clips}/${clips}`)

    // The predictions table and the apex curves, as the engine stored them.
    const stored = query<{ subject: string; clip: string; frame: number; au: number; p: number }>(
      `SELECT s.code AS subject, c.name AS clip, p.frame, p.au, p.probability AS p
       FROM predictions p JOIN clips c ON c.id = p.clip_id JOIN subjects s ON s.id = c.subject_id
       WHERE p.model_id = ? AND c.dataset_id = ?`,
      modelId,
      result.datasetId,
    )
    expect(stored).toHaveLength(clips * AUS.length)
    const probability = (subject: string, clip: string, au: string) =>
      stored.find((r) => r.subject === subject && r.clip === clip && r.au === Number(au))!.p
    const spotted = new Map(
      query<{ key: string; apex: number }>(
        `SELECT s.code || '/' || c.name AS key, a.apex_frame AS apex
         FROM apex_curves a JOIN clips c ON c.id = a.clip_id JOIN subjects s ON s.id = c.subject_id`,
      ).map((r) => [r.key, r.apex]),
    )
    expect(spotted.size).toBe(clips)

    // CSV: one row per clip (each video is short: a whole clip), one probability column per AU.
    const csv = parseCsv(fs.readFileSync(result.csv, 'utf8'), result.csv)
    const column = (name: string) => csv[0].indexOf(name)
    expect(csv[0].slice(0, 3)).toEqual(['Subject', 'Video', 'Kind'])
    // Then a decision per AU at the threshold in use: the model's record holds none, so 0.5.
    expect(csv[0].slice(-6)).toEqual([
      'AU1',
      'AU4',
      'AU12',
      ...AUS.map((au) => `AU${au} present (p ≥ 0.5; default: the model chose none)`),
    ])
    const rows = csv.slice(1)
    expect(rows).toHaveLength(clips)
    const [clipAt, fileAt, apexAt, sourceAt] = ['Clip', 'File', 'Apex Frame', 'Apex Source'].map(
      column,
    )
    const firstAu = column('AU1')
    expect(rows.map((r) => `${r[0]}/${r[clipAt]}`).sort()).toEqual(
      synthetic.clips.map((c) => `${c.subject}/${c.name}`).sort(),
    )
    for (const row of rows) {
      const truth = synthetic.clips.find((c) => c.subject === row[0] && c.name === row[clipAt])!
      expect([row[1], row[2], row[fileAt]]).toEqual([
        path.basename(truth.video!),
        'clip',
        truth.video,
      ])
      expect(Number(row[apexAt])).toBe(spotted.get(`${row[0]}/${row[clipAt]}`))
      expect(row[sourceAt]).toBe('spotted')
      AUS.forEach((au, i) => {
        const cell = row[firstAu + i]
        expect(cell).toMatch(/^[01]\.\d{4}$/)
        expect(cell).toBe(probability(row[0], row[clipAt], au).toFixed(4))
        expect(row[firstAu + AUS.length + i]).toBe(Number(cell) >= 0.5 ? '1' : '0')
      })
    }

    // XLSX: the same rows, probabilities as full-precision numbers.
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.readFile(result.xlsx)
    const sheet = workbook.worksheets[0]
    expect(sheet.rowCount).toBe(clips + 1)
    const xlsxRows: unknown[][] = []
    sheet.eachRow((row) => xlsxRows.push((row.values as unknown[]).slice(1)))
    expect(xlsxRows[0]).toEqual(csv[0])
    xlsxRows.slice(1).forEach((row, r) => {
      expect([row[0], row[clipAt], row[apexAt]]).toEqual([
        rows[r][0],
        rows[r][clipAt],
        Number(rows[r][apexAt]),
      ])
      AUS.forEach((au, i) =>
        expect(row[firstAu + i]).toBe(probability(rows[r][0], rows[r][clipAt], au)),
      )
    })

    // batch.table: the same table from the library, and the counts per participant.
    const table = await callOk(engine, 'batch.table', { datasetId: result.datasetId, modelId })
    expect(table satisfies BatchTable).toMatchObject({
      datasetId: result.datasetId,
      modelId,
      aus: AUS,
    })
    expect(
      table.rows.map((r) => [
        r.subject,
        r.clip,
        String(r.apex),
        ...r.probabilities.map((p) => p.toFixed(4)),
      ]),
    ).toEqual(
      rows.map((r) => [r[0], r[clipAt], r[apexAt], ...r.slice(firstAu, firstAu + AUS.length)]),
    )
    const subjects = [...new Set(synthetic.clips.map((c) => c.subject))].sort()
    expect(table.participants.map((p) => [p.subject, p.events.clip])).toEqual(
      subjects.map((s) => [s, synthetic.clips.filter((c) => c.subject === s).length]),
    )
    expect(table.thresholds).toEqual({ values: [0.5, 0.5, 0.5], source: 'default' })
  }, 300_000)

  it('stops when cancelled and carries on from the imported dataset when resumed', async () => {
    // One participant's folder: its videos lie directly in it, so each is its own subject.
    const folder = path.join(synthetic.framesRoot, synthetic.clips[0].subject)
    const names = synthetic.clips
      .filter((c) => c.subject === synthetic.clips[0].subject)
      .map((c) => c.name)
    const started = await callOk(engine, 'batch.analyze', { folder, modelId, dataset: 'Resumed' })
    const off = engine.on('job.changed', (job) => {
      if (job.id === started.id && job.progress?.message === 'Loading the face detector') {
        off()
        engine.jobs.cancel(job.id)
      }
    })
    const cancelled = await engine.jobs.whenSettled(started.id)
    expect(cancelled.status).toBe('cancelled')
    const [dataset] = query<{ id: number }>("SELECT id FROM datasets WHERE name = 'Resumed'")
    expect(
      query(
        'SELECT p.id FROM predictions p JOIN clips c ON c.id = p.clip_id WHERE c.dataset_id = ?',
        dataset.id,
      ),
    ).toEqual([])

    await callOk(engine, 'jobs.resume', { id: started.id })
    const resumed = await engine.jobs.whenSettled(started.id)
    expect(resumed.status, JSON.stringify(resumed.error)).toBe('succeeded')
    const result = resumed.result as BatchResult & { dataset: string }
    expect(result).toMatchObject({ datasetId: dataset.id, dataset: 'Resumed', clips: names.length })
    expect(query("SELECT id FROM datasets WHERE name LIKE 'Resumed%'")).toHaveLength(1)
    const table = await callOk(engine, 'batch.table', { datasetId: dataset.id, modelId })
    expect(table.rows.map((r) => [r.subject, r.clip])).toEqual(names.sort().map((n) => [n, n]))
    const [report] = query<{ report: string }>(
      'SELECT report FROM imports WHERE dataset_id = ?',
      dataset.id,
    )
    const flags = (JSON.parse(report.report) as { flags: { code: string }[] }).flags
    expect(flags.map((f) => f.code)).toEqual(names.map(() => 'subject_assumed'))
  }, 300_000)

  it('runs from the CLI with a model folder, into a new dataset when the name is taken', () => {
    const out = path.join(dir, 'cli-out')
    const run = runMicroau([
      'batch',
      '--in',
      synthetic.framesRoot,
      '--model',
      modelDir,
      '--db',
      libraryPath,
      '--out',
      out,
      '--json',
    ])
    expect(run.code, run.stderr).toBe(0)
    expect(run.stderr).toMatch(/batch: job \d+ started/)
    const result = JSON.parse(run.stdout) as BatchResult & { dataset: string }
    // The first test made 'videos' from the same folder.
    expect(result).toMatchObject({ modelId, dataset: 'videos (2)', clips: synthetic.clips.length })
    // Into a folder of its own inside the chosen one: batches never overwrite each other.
    const [own] = fs.readdirSync(out)
    expect(own).toMatch(/-videos _2_$/)
    expect(result.csv).toBe(path.join(out, own, 'batch.csv'))
    const csv = parseCsv(fs.readFileSync(result.csv, 'utf8'), result.csv)
    expect(csv).toHaveLength(synthetic.clips.length + 1)
    expect(fs.existsSync(path.join(out, own, 'batch.xlsx'))).toBe(true)
  }, 300_000)

  it("decides at the model's chosen thresholds by default, at the CLI's --threshold when given", async () => {
    // A model folder whose record holds thresholds chosen on an inner split, as training
    // stores them (engine/ml/train/training-run.ts): AU1 at 0 says yes to every clip, AU4 at 1
    // to none below certainty, AU12 at 0.3.
    const chosen = { '1': 0, '4': 1, '12': 0.3 }
    const record = {
      variant: 'iicl',
      thresholds: chosen,
      thresholdsChosenOn: 'per AU, the F1-maximising threshold on held-out subjects',
    }
    const thresholdModel = path.join(dir, 'model-with-thresholds')
    await saveTinyModel(thresholdModel, AUS, 5, record)
    const db = openLibrary(libraryPath)
    const thresholdModelId = registerModel(db, {
      ...{ name: 'tiny with thresholds', preset: 'tiny', variant: 'iicl' },
      ...{ path: thresholdModel, config: record, metrics: null },
    })
    db.close()
    const folder = path.join(synthetic.framesRoot, synthetic.clips[0].subject)
    // Each decision column says p ≥ t for the AU's probability and the threshold `t` expected.
    const decisions = (csvFile: string, expected: readonly number[]) => {
      const [header, ...rows] = parseCsv(fs.readFileSync(csvFile, 'utf8'), csvFile)
      const n = AUS.length
      const firstAu = header.indexOf(`AU${AUS[0]}`)
      for (const row of rows) {
        AUS.forEach((_, i) => {
          expect(row[firstAu + n + i]).toBe(Number(row[firstAu + i]) >= expected[i] ? '1' : '0')
        })
      }
      return { header: header.slice(firstAu + n), rows, firstDecision: firstAu + n }
    }

    const started = await callOk(engine, 'batch.analyze', {
      folder,
      modelId: thresholdModelId,
      dataset: 'At thresholds',
    })
    const job = await engine.jobs.whenSettled(started.id)
    expect(job.status, JSON.stringify(job.error)).toBe('succeeded')
    const byModel = job.result as BatchResult
    expect(byModel.threshold).toBeUndefined()
    const own = decisions(byModel.csv, [chosen['1'], chosen['4'], chosen['12']])
    expect(own.header).toEqual([
      "AU1 present (p ≥ 0; model's threshold)",
      "AU4 present (p ≥ 1; model's threshold)",
      "AU12 present (p ≥ 0.3; model's threshold)",
    ])
    expect(own.rows.map((r) => r[own.firstDecision])).toEqual(own.rows.map(() => '1'))
    const table = await callOk(engine, 'batch.table', {
      datasetId: byModel.datasetId,
      modelId: byModel.modelId,
    })
    expect(table.thresholds).toEqual({ values: [0, 1, 0.3], source: 'model' })

    // The CLI's override: one threshold for every AU, said in the files and on the terminal.
    const run = runMicroau(
      ['batch', '--in', folder, '--model', thresholdModel, '--db', libraryPath].concat([
        '--out',
        path.join(dir, 'threshold-out'),
        '--threshold',
        '0.5',
      ]),
      {},
      600_000,
    )
    expect(run.code, run.stderr).toBe(0)
    const text = run.stdout
    expect(text).toContain(
      'thresholds: one threshold for every AU, set by the user (AU1 0.5, AU4 0.5, AU12 0.5)',
    )
    const csvFile = text.split('\n').find((line) => line.endsWith('batch.csv'))!
    expect(decisions(csvFile, [0.5, 0.5, 0.5]).header).toEqual(
      AUS.map((au) => `AU${au} present (p ≥ 0.5; threshold set for the batch)`),
    )
    expect(
      runMicroau(['batch', '--in', folder, '--model', thresholdModel, '--threshold', '2']).stderr,
    ).toContain('--threshold must be a probability from 0 to 1 (got 2)')
  }, 900_000)

  it('refuses a missing folder, a folder without videos or an unknown model before starting', async () => {
    const jobsBefore = query('SELECT id FROM jobs').length
    const missing = path.join(dir, 'no-such-folder')
    expect(await engine.call('batch.analyze', { folder: missing, modelId })).toMatchObject({
      ok: false,
      error: { code: 'not_found', message: `The folder ${missing} does not exist.` },
    })
    const empty = path.join(dir, 'empty')
    fs.mkdirSync(path.join(empty, 'p01'), { recursive: true })
    fs.writeFileSync(path.join(empty, 'p01', 'notes.txt'), 'no videos here')
    const none = await engine.call('batch.analyze', { folder: empty, modelId })
    expect(none).toMatchObject({ ok: false, error: { code: 'not_found' } })
    if (!none.ok) expect(none.error.message).toContain(`There is no video (.mkv, .mp4`)
    expect(
      await engine.call('batch.analyze', { folder: synthetic.framesRoot, modelId: 999 }),
    ).toMatchObject({
      ok: false,
      error: { code: 'not_found', message: 'There is no model with id 999.' },
    })
    expect(query('SELECT id FROM jobs')).toHaveLength(jobsBefore)
  })

  it('fails on a corrupt video, naming it, and imports none of the folder (CLI)', () => {
    const folder = path.join(dir, 'corrupt')
    fs.mkdirSync(path.join(folder, 'p01'), { recursive: true })
    fs.mkdirSync(path.join(folder, 'p02'), { recursive: true })
    fs.copyFileSync(synthetic.clips[0].video!, path.join(folder, 'p01', 'good.mkv'))
    const broken = path.join(folder, 'p02', 'broken.mp4')
    fs.writeFileSync(broken, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 97) % 256)))
    const before = libraryContents()
    const run = runMicroau([
      'batch',
      '--in',
      folder,
      '--model',
      modelDir,
      '--db',
      libraryPath,
      '--json',
    ])
    expect(run.code).toBe(1)
    expect(run.stderr).toContain(broken)
    expect(run.stdout).toBe('')
    expect(libraryContents()).toEqual(before)
  })
})
